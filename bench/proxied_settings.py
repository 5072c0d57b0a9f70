"""The sample site behind one trusted proxy: X-Forwarded-For names the client.

Lets a load script on one machine speak for many client addresses (bench/lockout_race.py and
the gunicorn lockout test), so per-IP limits do not hide what the account lockout does.
"""

from authproject.settings import *  # noqa: F403
from authproject.settings import JWTAUTH

JWTAUTH = {**JWTAUTH, "TRUSTED_PROXY_COUNT": 1}
