"""Whatever User-Agent a refresh sends, it is recorded (NUL-free, bounded), never a 500."""

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jwtauth import families
from jwtauth.models import TokenFamily

# What a WSGI server can put in a header: latin-1 text, NUL included.
HEADER_TEXT = st.text(alphabet=st.characters(max_codepoint=255), max_size=600)


@pytest.mark.django_db
@given(agent=HEADER_TEXT)
def test_any_user_agent_is_recorded_as_last_use(api: Any, user: Any, agent: str) -> None:
    pair = families.start(user=user)
    response = api.post(
        "/api/auth/refresh/",
        {"refresh": pair.refresh},
        format="json",
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR="192.0.2.77",
    )
    assert response.status_code == 200, response.content
    family = TokenFamily.objects.get(pk=pair.session_id)
    assert family.last_user_agent == agent.replace("\x00", "")[:256]
    assert family.last_ip == "192.0.2.77"
