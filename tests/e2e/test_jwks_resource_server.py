"""End to end: the sample site issues RS256 tokens; a second process, configured only with the
site's JWKS URL, accepts them and refuses forged ones.

Both are real ``runserver`` processes on free loopback ports chosen at run time. The issuer
uses a fresh SQLite file; the resource server has no database at all.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jwt
import pytest

from jwtauth.keys import material
from tests.helpers.servers import ROOT, free_port
from tests.helpers.tokens import access_claims, hs256_with_secret, unsigned

STARTUP_SECONDS = 60
REQUEST_SECONDS = 10
PASSWORD = "e2e-" + "correct-horse-battery"


def _request(url: str, *, token: str | None = None, body: Any = None) -> tuple[int, Any, Any]:
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"null"), response.headers
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null"), error.headers


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=STARTUP_SECONDS,
    )


@contextmanager
def _runserver(env: dict[str, str], log: Path, probe: str) -> Iterator[str]:
    """A ``runserver --noreload`` on a free port; yields its base URL, always stops it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if process.poll() is not None:
                    pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
                try:
                    _request(base + probe)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"server not ready in {STARTUP_SECONDS}s:\n{log.read_text()}")
                    time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("e2e")
    base_env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "JWTAUTH_E2E"}
    }
    base_env["PYTHONPATH"] = str(ROOT)
    issuer_env = {
        **base_env,
        "DJANGO_SETTINGS_MODULE": "tests.issuer_settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
        "SQLITE_PATH": str(tmp / "issuer.sqlite3"),
        "JWTAUTH_E2E_PRIVATE_KEY": material.private_pem(material.generate("RS256")).decode(),
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    _manage(issuer_env, "migrate", "--noinput")
    _manage(issuer_env, "createsuperuser", "--noinput", "--username", "e2e", "--email", "e@x.io")
    with _runserver(issuer_env, tmp / "issuer.log", "/.well-known/jwks.json") as issuer:
        resource_env = {
            **base_env,
            "DJANGO_SETTINGS_MODULE": "tests.resource_server_settings",
            "RESOURCE_JWKS_URL": f"{issuer}/.well-known/jwks.json",
        }
        with _runserver(resource_env, tmp / "resource.log", "/api/protected/") as resource:
            yield issuer, resource


@pytest.fixture(scope="module")
def issued(servers: tuple[str, str]) -> dict[str, Any]:
    issuer, _ = servers
    status, body, _ = _request(
        f"{issuer}/api/auth/login/",
        body={"username": "e2e", "password": PASSWORD, "transport": "body"},
    )
    assert status == 200, body
    return body


@pytest.fixture(scope="module")
def published(servers: tuple[str, str]) -> dict[str, Any]:
    issuer, _ = servers
    status, body, headers = _request(f"{issuer}/.well-known/jwks.json")
    assert status == 200
    assert headers["Cache-Control"].startswith("public, max-age=")
    (key,) = body["keys"]
    return key


def test_issuer_publishes_its_public_key(published: dict[str, Any]) -> None:
    assert (published["kid"], published["alg"], published["use"]) == ("e2e-2030", "RS256", "sig")
    assert not {"d", "p", "q", "dp", "dq", "qi"} & published.keys()


def test_resource_server_accepts_issued_token(
    servers: tuple[str, str], issued: dict[str, Any]
) -> None:
    _, resource = servers
    assert jwt.get_unverified_header(issued["access"])["kid"] == "e2e-2030"
    status, body, _ = _request(f"{resource}/api/protected/", token=issued["access"])
    assert status == 200, body
    claims = jwt.decode(issued["access"], options={"verify_signature": False})
    assert body == {"user_id": int(claims["sub"]), "sub": claims["sub"], "roles": claims["roles"]}


def _refused(resource: str, token: str | None, code: str) -> None:
    status, body, headers = _request(f"{resource}/api/protected/", token=token)
    assert status == 401, body
    assert body["code"] == code
    assert headers["WWW-Authenticate"].startswith('Bearer realm="api"')


def test_resource_server_refuses_forged_tokens(
    servers: tuple[str, str], issued: dict[str, Any], published: dict[str, Any]
) -> None:
    _, resource = servers
    public_pem = material.public_pem(jwt.PyJWK(published).key)
    claims = jwt.decode(issued["access"], options={"verify_signature": False})
    another_key = material.generate("RS256")
    forged = [
        # Same claims and kid, signed by a key the issuer never had.
        jwt.encode(claims, another_key, algorithm="RS256", headers={"kid": "e2e-2030"}),
        # Algorithm confusion: HS256 "signed" with the issuer's public key.
        hs256_with_secret(public_pem, {"alg": "HS256", "kid": "e2e-2030"}),
        unsigned({"alg": "none", "kid": "e2e-2030"}),
        # A key of the attacker's, embedded or pointed at.
        jwt.encode(
            access_claims(),
            another_key,
            algorithm="RS256",
            headers={
                "kid": "e2e-2030",
                "jwk": material.public_jwk("RS256", another_key.public_key()),
            },
        ),
        jwt.encode(
            access_claims(),
            another_key,
            algorithm="RS256",
            headers={"kid": "attacker", "jku": "http://127.0.0.1:1/jwks.json"},
        ),
        # Tampered payload of a genuine token.
        issued["access"][:-8] + ("A" * 8 if not issued["access"].endswith("A" * 8) else "B" * 8),
    ]
    for token in forged:
        _refused(resource, token, "token_invalid")
    _refused(resource, None, "not_authenticated")
    # The genuine token still works after the forgeries (no key was replaced).
    assert _request(f"{resource}/api/protected/", token=issued["access"])[0] == 200
