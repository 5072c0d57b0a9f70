"""The bounded in-process cache of verified access tokens: fast repeats, same guarantees."""

from datetime import timedelta
from typing import Any

import pytest

from jwtauth import tokens
from jwtauth.exceptions import TokenExpired, TokenInvalid
from tests.conftest import access_claims, b64url, bearer, sign


def _decoder_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = tokens._decode

    def counting(token: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr(tokens, "_decode", counting)
    return calls


def test_a_repeat_is_served_without_decoding_again(
    user: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign(access_claims(user))
    calls = _decoder_calls(monkeypatch)

    first = tokens.verify_access(token)
    second = tokens.verify_access(token)

    assert first == second and first["sub"] == str(user.pk)
    assert calls == [token]


def test_expiry_is_checked_on_every_hit(user: Any, clock: Any) -> None:
    token = sign(access_claims(user))
    tokens.verify_access(token)

    clock.shift(timedelta(minutes=15))

    with pytest.raises(TokenExpired):
        tokens.verify_access(token)
    assert token not in tokens._verified()


def test_revocation_is_checked_on_every_hit(api: Any, user: Any, login: Any) -> None:
    pair = login(user)
    assert api.get("/api/profile/", **bearer(pair["access"])).status_code == 200
    assert pair["access"] in tokens._verified()

    api.post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json")

    response = api.get("/api/profile/", **bearer(pair["access"]))
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")


def test_the_cache_never_grows_past_its_bound(user: Any, settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"VERIFIED_TOKEN_CACHE_SIZE": 8}
    for number in range(50):
        tokens.verify_access(sign(access_claims(user, jti=f"jti-{number}")))
        assert len(tokens._verified()) <= 8
    # The newest token is always kept.
    assert any(claims["jti"] == "jti-49" for claims in tokens._verified().values())


def test_size_zero_turns_it_off(user: Any, settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"VERIFIED_TOKEN_CACHE_SIZE": 0}
    tokens.verify_access(sign(access_claims(user)))
    assert tokens._verified() == {}


def test_a_key_change_forgets_tokens_verified_with_the_old_keys(
    user: Any, settings: Any, clock: Any
) -> None:
    token = sign(access_claims(user))
    tokens.verify_access(token)

    settings.JWTAUTH = {"ACCESS_KEYS": [{"kid": "new", "key": "n" * 32}]}

    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)


def test_callers_cannot_change_what_is_cached(user: Any, clock: Any) -> None:
    token = sign(access_claims(user))
    claims = tokens.verify_access(token)
    claims["sub"] = "someone-else"
    assert tokens.verify_access(token)["sub"] == str(user.pk)


def test_a_forged_token_is_never_cached(user: Any, clock: Any) -> None:
    forged = sign(access_claims(user), key=b"x" * 32)
    with pytest.raises(TokenInvalid):
        tokens.verify_access(forged)
    assert tokens._verified() == {}


@pytest.mark.parametrize(
    "mangle",
    [
        lambda sig: sig + "=",  # padding
        lambda sig: sig + "!",  # a character outside base64url
        lambda sig: sig[:-2] + "+/",  # base64 (not url-safe) characters
        lambda sig: sig + "AA",  # extra bytes
    ],
)
def test_signature_encoding_is_strict(user: Any, clock: Any, mangle: Any) -> None:
    header, payload, signature = sign(access_claims(user)).split(".")
    with pytest.raises(TokenInvalid):
        tokens.verify_access(f"{header}.{payload}.{mangle(signature)}")


def test_a_payload_that_is_not_an_object_is_invalid(user: Any, clock: Any) -> None:
    header, _, _ = sign(access_claims(user)).split(".")
    with pytest.raises(TokenInvalid):
        tokens.verify_access(f"{header}.{b64url('[1, 2]')}.AAAA")


def test_parsed_headers_are_remembered_only_when_accepted_and_bounded(
    user: Any, clock: Any
) -> None:
    from jwtauth.keys import access_keys

    good = sign(access_claims(user))
    tokens.verify_access(good)
    assert access_keys().header_keys == {good.split(".")[0]: access_keys().signer}

    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(access_claims(user), kid="unknown"))
    for number in range(100):
        tokens.verify_access(sign(access_claims(user, jti=f"h{number}"), headers={"n": number}))
    assert len(access_keys().header_keys) == tokens._HEADER_CACHE_SIZE
    assert all(key.kid == access_keys().signer.kid for key in access_keys().header_keys.values())
