"""Account service: log in with a username or email and a password."""

from django.contrib.auth import authenticate, get_user_model
from django.http import HttpRequest

from jwtauth import families
from jwtauth.clientip import client_ip
from jwtauth.exceptions import InvalidCredentials


def _username_for(identifier: str) -> str:
    """The username to authenticate: ``identifier`` itself, or the owner of that email."""
    user_model = get_user_model()
    if "@" not in identifier:
        return identifier
    email_field = user_model.get_email_field_name()
    matches = list(user_model._default_manager.filter(**{f"{email_field}__iexact": identifier})[:2])
    if len(matches) == 1:
        return matches[0].get_username()
    # Unknown or ambiguous email: authenticate() still runs the hasher on a missing user,
    # so the answer takes as long as for a wrong password.
    return identifier


def login(*, request: HttpRequest, identifier: str, password: str) -> families.TokenPair:
    """Check credentials and start a session; unknown user and wrong password fail alike."""
    user = authenticate(request, username=_username_for(identifier), password=password)
    if user is None:
        raise InvalidCredentials()
    return families.start(
        user=user,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        request=request,
    )
