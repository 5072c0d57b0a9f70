"""Generate a key pair for asymmetric access tokens and print how to configure it."""

import json
import os
import re
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jwtauth.keys.material import (
    ASYMMETRIC_ALGORITHMS,
    generate,
    private_pem,
    public_jwk,
    public_pem,
)

_PRIVATE_FILE_MODE = 0o600
# The kid names the files: no separators or dots that could leave --out-dir.
_SAFE_KID = re.compile(r"[A-Za-z0-9_-]+")


def _write(path: Path, content: bytes, mode: int) -> None:
    # O_EXCL: never overwrite a key, which would log out every holder of a token it signed.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError as exc:
        raise CommandError(f"{path} exists; choose another --kid or --out-dir.") from exc
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


class Command(BaseCommand):
    help = (
        "Generate a key pair for RS256, ES256 or EdDSA access tokens. Prints the JWTAUTH "
        "settings snippet and the public JWK; writes PEM files with --out-dir, else prints them."
    )

    # Making the first key must work while the key settings are still incomplete.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--algorithm", required=True, choices=ASYMMETRIC_ALGORITHMS)
        parser.add_argument("--kid", help="Key id; defaults to the key's RFC 7638 thumbprint.")
        parser.add_argument(
            "--out-dir", type=Path, help="Write <kid>.pem (private, mode 600) and <kid>.pub.pem."
        )

    def handle(
        self, *args: Any, algorithm: str, kid: str | None, out_dir: Path | None, **options: Any
    ) -> None:
        private_key = generate(algorithm)
        jwk = public_jwk(algorithm, private_key.public_key(), kid)
        kid = jwk["kid"]
        if out_dir is None:
            source = "env:JWTAUTH_ACCESS_PRIVATE_KEY"
            self.stdout.write("# Private key: keep it secret (here for JWTAUTH_ACCESS_PRIVATE_KEY)")
            self.stdout.write(private_pem(private_key).decode())
            self.stdout.write("# Public key")
            self.stdout.write(public_pem(private_key.public_key()).decode())
        else:
            if not _SAFE_KID.fullmatch(kid):
                raise CommandError("With --out-dir, --kid may only use letters, digits, _ and -.")
            out_dir.mkdir(parents=True, exist_ok=True)
            private_path = (out_dir / f"{kid}.pem").resolve()
            public_path = (out_dir / f"{kid}.pub.pem").resolve()
            _write(private_path, private_pem(private_key), _PRIVATE_FILE_MODE)
            _write(public_path, public_pem(private_key.public_key()), 0o644)
            source = f"file:{private_path}"
            self.stdout.write(f"# Wrote {private_path} and {public_path}")
        entry = json.dumps({"kid": kid, "private_key": source})
        self.stdout.write(
            "# settings.py: the first entry with a private key signs; keep the previous key\n"
            "# (as a public_key entry) until the longest access token it signed has expired.\n"
            f'JWTAUTH = {{\n    "ALGORITHM": "{algorithm}",\n'
            f'    "ACCESS_KEYS": [\n        {entry},\n    ],\n}}'
        )
        self.stdout.write("# Public JWK, as served at /.well-known/jwks.json")
        self.stdout.write(json.dumps(jwk, indent=2))
