"""The sample site as an RS256 issuer, for the end-to-end test: its key comes from the
environment (JWTAUTH_E2E_PRIVATE_KEY, a PEM), as a deployment would provide it."""

from authproject.settings import *  # noqa: F403

JWTAUTH = {
    "ALGORITHM": "RS256",
    "ACCESS_KEYS": [{"kid": "e2e-2030", "private_key": "env:JWTAUTH_E2E_PRIVATE_KEY"}],
}
