"""The bounded in-process cache of verified access tokens: fast repeats, same guarantees."""

import copy
import json
import pickle
from datetime import timedelta
from typing import Any

import pytest

from jwtauth import tokens, verifier
from jwtauth.exceptions import TokenExpired, TokenInvalid
from tests.helpers.http import bearer
from tests.helpers.tokens import access_claims, b64url, sign


def _decoder_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = verifier.Verifier._verify

    def counting(self: Any, token: Any, **kwargs: Any) -> Any:
        calls.append(token)
        return real(self, token, **kwargs)

    monkeypatch.setattr(verifier.Verifier, "_verify", counting)
    return calls


def _verified() -> dict[str, Any]:
    return tokens.access_verifier().verified


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
    assert token not in _verified()


def test_revocation_is_checked_on_every_hit(api: Any, user: Any, login: Any) -> None:
    pair = login(user)
    assert api.get("/api/profile/", **bearer(pair["access"])).status_code == 200
    assert pair["access"] in _verified()

    api.post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json")

    response = api.get("/api/profile/", **bearer(pair["access"]))
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")


def test_the_cache_never_grows_past_its_bound(user: Any, settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"VERIFIED_TOKEN_CACHE_SIZE": 8}
    for number in range(50):
        tokens.verify_access(sign(access_claims(user, jti=f"jti-{number}")))
        assert len(_verified()) <= 8
    # The newest token is always kept.
    assert any(claims["jti"] == "jti-49" for claims, _ in _verified().values())


def test_size_zero_turns_it_off(user: Any, settings: Any, clock: Any) -> None:
    settings.JWTAUTH = {"VERIFIED_TOKEN_CACHE_SIZE": 0}
    tokens.verify_access(sign(access_claims(user)))
    assert _verified() == {}


def test_a_key_change_forgets_tokens_verified_with_the_old_keys(
    user: Any, settings: Any, clock: Any
) -> None:
    token = sign(access_claims(user))
    tokens.verify_access(token)

    settings.JWTAUTH = {"ACCESS_KEYS": [{"kid": "new", "key": "n" * 32}]}

    with pytest.raises(TokenInvalid):
        tokens.verify_access(token)


def test_callers_cannot_change_what_is_cached(user: Any, clock: Any) -> None:
    token = sign(access_claims(user, roles=["staff"]))
    claims = tokens.verify_access(token)
    with pytest.raises(TypeError):
        claims["sub"] = "someone-else"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        claims["roles"].append("admin")  # type: ignore[attr-defined]
    again = tokens.verify_access(token)
    assert (again["sub"], again["roles"]) == (str(user.pk), ("staff",))


def test_a_forged_token_is_never_cached(user: Any, clock: Any) -> None:
    forged = sign(access_claims(user), key=b"x" * 32)
    with pytest.raises(TokenInvalid):
        tokens.verify_access(forged)
    assert _verified() == {}


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


def test_parsed_headers_are_remembered_only_when_verified_and_bounded(
    user: Any, clock: Any
) -> None:
    good = sign(access_claims(user))
    tokens.verify_access(good)
    signer = tokens.access_keys().signer
    headers = tokens.access_verifier().headers
    assert headers == {good.split(".")[0]: ("HS256", signer.kid)}

    with pytest.raises(TokenInvalid):
        tokens.verify_access(sign(access_claims(user), kid="unknown"))
    for number in range(100):
        tokens.verify_access(sign(access_claims(user, jti=f"h{number}"), headers={"n": number}))
    assert len(headers) == verifier.HEADER_CACHE_SIZE
    assert set(headers.values()) == {("HS256", signer.kid)}


def test_unsigned_forgeries_never_fill_the_header_cache(user: Any, clock: Any) -> None:
    kid = tokens.access_keys().signer.kid
    for number in range(100):
        header = b64url({"alg": "HS256", "kid": kid, "n": number})
        forged = f"{header}.{b64url(access_claims(user))}.{b64url(b'x' * 32)}"
        with pytest.raises(TokenInvalid):
            tokens.verify_access(forged)
    assert tokens.access_verifier().headers == {}

    good = sign(access_claims(user))
    tokens.verify_access(good)
    assert list(tokens.access_verifier().headers) == [good.split(".")[0]]


def test_read_only_claims_still_serialise_copy_and_pickle(user: Any, clock: Any) -> None:
    claims = tokens.verify_access(sign(access_claims(user, roles=["a", "b"])))
    assert json.loads(json.dumps(claims))["roles"] == ["a", "b"]
    assert pickle.loads(pickle.dumps(claims)) == claims  # noqa: S301 - our own bytes
    assert copy.deepcopy(claims) == claims
    mutable = dict(claims)
    mutable["roles"] = ["c"]
    assert tokens.verify_access(sign(access_claims(user, roles=["a", "b"])))["roles"] == ("a", "b")
