"""Test keys made at run time (never committed) and a local JWKS server."""

import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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
