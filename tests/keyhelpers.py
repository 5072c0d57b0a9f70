"""Test keys made at run time (never committed), a local JWKS server, and token forging."""

import base64
import functools
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from django.utils import timezone

from jwtauth.keys import material

ALGORITHMS = ("RS256", "ES256", "EdDSA")


@functools.cache
def _generated(algorithm: str, number: int) -> Any:
    return material.generate(algorithm)


def private_key(algorithm: str, number: int = 0) -> Any:
    """A private key generated once per test run for (algorithm, number)."""
    return _generated(algorithm, number)


def private_pem(algorithm: str, number: int = 0) -> str:
    return material.private_pem(private_key(algorithm, number)).decode()


def public_pem(algorithm: str, number: int = 0) -> str:
    return material.public_pem(private_key(algorithm, number).public_key()).decode()


def signing_entry(algorithm: str, kid: str, number: int = 0) -> dict[str, Any]:
    return {"kid": kid, "private_key": private_pem(algorithm, number)}


def public_entry(algorithm: str, kid: str, number: int = 0) -> dict[str, Any]:
    return {"kid": kid, "public_key": public_pem(algorithm, number)}


def use_keys(settings: Any, algorithm: str, *entries: dict[str, Any], **extra: Any) -> None:
    settings.JWTAUTH = {"ALGORITHM": algorithm, "ACCESS_KEYS": list(entries), **extra}


def access_claims(**overrides: Any) -> dict[str, Any]:
    now = timezone.now()
    claims = {
        "iss": "jwtauth",
        "aud": "jwtauth",
        "sub": "1",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "jti": "jti-1",
        "sid": "sid-1",
        "roles": [],
        "typ": "access",
    }
    claims.update(overrides)
    return claims


def sign(algorithm: str, kid: str, number: int = 0, **headers: Any) -> str:
    """A well-formed access token signed with test key ``number``."""
    return jwt.encode(
        access_claims(),
        private_key(algorithm, number),
        algorithm=algorithm,
        headers={"kid": kid, **headers},
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value, default=lambda when: int(when.timestamp())).encode())


def hs256_with_secret(secret: bytes, header: dict[str, Any]) -> str:
    """An HS256 token MACed with ``secret`` by hand (PyJWT refuses PEM secrets)."""
    signing_input = f"{_segment({'typ': 'JWT', **header})}.{_segment(access_claims())}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(mac)}"


def sign_raw(algorithm: str, header: dict[str, Any], number: int = 0) -> str:
    """Signed like ``sign`` but with any header, even one PyJWT would refuse to write."""
    signing_input = f"{_segment({'alg': algorithm, **header})}.{_segment(access_claims())}"
    algorithm_object = jwt.get_algorithm_by_name(algorithm)
    signature = algorithm_object.sign(signing_input.encode(), private_key(algorithm, number))
    return f"{signing_input}.{_b64(signature)}"


def unsigned(header: dict[str, Any]) -> str:
    return f"{_segment(header)}.{_segment(access_claims())}."


class JWKSServer:
    """A JWKS endpoint on 127.0.0.1 serving ``document``; counts requests in ``hits``."""

    def __init__(self) -> None:
        self.document: Any = {"keys": []}
        self.status = 200
        self.headers: dict[str, str] = {}
        self.hits = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                owner.hits += 1
                body = (
                    owner.document
                    if isinstance(owner.document, bytes)
                    else json.dumps(owner.document).encode()
                )
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in owner.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/.well-known/jwks.json"

    def publish(self, *jwks: dict[str, Any]) -> None:
        self.document = {"keys": list(jwks)}


@contextmanager
def jwks_server() -> Iterator[JWKSServer]:
    server = JWKSServer()
    thread = threading.Thread(
        target=server.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        thread.join(timeout=5)


def public_jwk(algorithm: str, kid: str, number: int = 0) -> dict[str, Any]:
    return material.public_jwk(algorithm, private_key(algorithm, number).public_key(), kid)
