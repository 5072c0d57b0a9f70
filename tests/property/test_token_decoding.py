"""Token verification on any input: only TokenInvalid or TokenExpired, never other claims."""

import json
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from jwtauth import families, revocation, tokens
from jwtauth.authentication import JWTAuthentication
from jwtauth.exceptions import TokenExpired, TokenInvalid, TokenRevoked
from jwtauth.keys import access_keys
from tests.helpers.tokens import access_claims, b64url
from tests.property.strategies import (
    any_text,
    json_text,
    json_values,
    mutated,
    not_text,
    token_like,
)

DECODE_ERRORS = (TokenInvalid, TokenExpired)
VERIFIERS = [tokens.verify_access, tokens.verify_refresh]


@pytest.mark.parametrize("verify", VERIFIERS)
@given(value=any_text | json_text | token_like | not_text)
def test_arbitrary_input_is_token_invalid(verify: Any, value: Any) -> None:
    with pytest.raises(TokenInvalid):
        verify(value)


@pytest.mark.parametrize("verify", VERIFIERS)
@given(header=json_values, payload=json_values, signature=token_like)
def test_hand_built_tokens_are_token_invalid(
    verify: Any, header: Any, payload: Any, signature: str
) -> None:
    token = f"{b64url(json.dumps(header))}.{b64url(json.dumps(payload))}.{signature}"
    with pytest.raises(TokenInvalid):
        verify(token)


@pytest.fixture
def pair(user: Any) -> families.TokenPair:
    return families.start(user=user)


@pytest.mark.django_db
@given(data=st.data())
def test_mutated_access_token_never_verifies_to_other_claims(
    pair: families.TokenPair, data: st.DataObject
) -> None:
    original = tokens.verify_access(pair.access)
    token = data.draw(mutated(pair.access))
    try:
        claims = tokens.verify_access(token)
    except DECODE_ERRORS:
        return
    # Base64url has spare bits: a few edits decode to the very same bytes.
    assert claims == original


@pytest.mark.django_db
@given(data=st.data())
def test_mutated_refresh_token_never_verifies_to_other_claims(
    pair: families.TokenPair, data: st.DataObject
) -> None:
    original = tokens.verify_refresh(pair.refresh)
    token = data.draw(mutated(pair.refresh))
    try:
        claims = tokens.verify_refresh(token)
    except DECODE_ERRORS:
        return
    assert claims == original


def test_access_and_refresh_tokens_are_not_interchangeable(pair: families.TokenPair) -> None:
    with pytest.raises(TokenInvalid):
        tokens.verify_access(pair.refresh)
    with pytest.raises(TokenInvalid):
        tokens.verify_refresh(pair.access)


CLAIMS = ["iss", "aud", "sub", "iat", "exp", "jti", "sid", "roles", "typ", "nbf"]


claim_values = json_values | st.integers().map(str) | st.floats(allow_nan=False) | st.just("")


@pytest.mark.django_db
@given(
    changes=st.dictionaries(st.sampled_from(CLAIMS), claim_values, max_size=3),
    removed=st.sets(st.sampled_from(CLAIMS), max_size=2),
)
def test_signed_tokens_with_odd_claims_authenticate_or_fail_documented(
    user: Any, changes: dict[str, Any], removed: set[str]
) -> None:
    """Claims a genuine key signed but of any shape: the Bearer path never errs otherwise."""
    # A "not before" time for the user, so the deny-list compares the token's iat.
    revocation.revoke_user_before(user.pk, timezone.now() - timedelta(hours=1))
    claims = {**access_claims(user), **changes}
    for name in removed:
        claims.pop(name, None)
    signer = access_keys().signer
    # Signed as raw JSON: PyJWT's encode() would refuse some of these claims itself.
    token = jwt.api_jws.encode(
        json.dumps(claims).encode(), signer.signing_key, "HS256", headers={"kid": signer.kid}
    )
    try:
        verified = tokens.verify_access(token)
    except DECODE_ERRORS:
        return
    assert isinstance(verified["sub"], str)
    assert isinstance(verified["sid"], str) and verified["sid"]
    assert all(isinstance(role, str) for role in verified["roles"])
    try:
        JWTAuthentication().verify(token)
    except (TokenInvalid, TokenRevoked):
        pass
