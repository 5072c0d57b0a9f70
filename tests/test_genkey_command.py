"""manage.py jwtauth_genkey: a key pair, the settings snippet and the public JWK."""

import ast
import json
import stat
from io import StringIO
from pathlib import Path
from typing import Any

import jwt
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from jwtauth import tokens
from jwtauth.keys import access_keys
from jwtauth.management.commands import jwtauth_genkey as genkey
from tests.helpers.keys import ALGORITHMS


def _run(*args: str) -> str:
    out = StringIO()
    call_command("jwtauth_genkey", *args, stdout=out)
    return out.getvalue()


def _snippet(output: str) -> dict[str, Any]:
    start = output.index("JWTAUTH = ") + len("JWTAUTH = ")
    end = output.index("\n}", start) + 2
    return ast.literal_eval(output[start:end])


def _jwk(output: str) -> dict[str, Any]:
    return json.loads(output[output.rindex("{\n") :])


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_out_dir_writes_pem_files_that_the_snippet_configures(
    settings: Any, tmp_path: Path, algorithm: str
) -> None:
    output = _run("--algorithm", algorithm, "--kid", "2030-01", "--out-dir", str(tmp_path))
    private, public = tmp_path / "2030-01.pem", tmp_path / "2030-01.pub.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    snippet = _snippet(output)
    assert snippet == {
        "ALGORITHM": algorithm,
        "ACCESS_KEYS": [{"kid": "2030-01", "private_key": f"file:{private.resolve()}"}],
    }
    # The snippet works as is, and the printed JWK is what the site then publishes.
    settings.JWTAUTH = snippet
    token = tokens.issue_access(user_id=1, session_id="s", roles=[], now=timezone.now()).token
    assert jwt.get_unverified_header(token)["kid"] == "2030-01"
    assert access_keys().jwks == [_jwk(output)]
    claims = jwt.decode(token, public.read_text(), algorithms=[algorithm], audience="jwtauth")
    assert claims["sub"] == "1"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_without_out_dir_prints_the_pems_and_an_env_snippet(
    settings: Any, monkeypatch: Any, algorithm: str
) -> None:
    output = _run("--algorithm", algorithm)
    jwk = _jwk(output)
    assert (jwk["alg"], jwk["use"]) == (algorithm, "sig")
    assert not {"d", "p", "q", "dp", "dq", "qi"} & jwk.keys()
    snippet = _snippet(output)
    # Without --kid the kid is the key's RFC 7638 thumbprint.
    assert snippet["ACCESS_KEYS"] == [
        {"kid": jwk["kid"], "private_key": "env:JWTAUTH_ACCESS_PRIVATE_KEY"}
    ]
    start = output.index("-----BEGIN PRIVATE KEY-----")
    end = output.index("-----END PRIVATE KEY-----") + len("-----END PRIVATE KEY-----")
    monkeypatch.setenv("JWTAUTH_ACCESS_PRIVATE_KEY", output[start:end])
    settings.JWTAUTH = snippet
    assert access_keys().jwks == [jwk]
    assert "-----BEGIN PUBLIC KEY-----" in output


def test_each_run_makes_a_new_key() -> None:
    first, second = (_jwk(_run("--algorithm", "EdDSA")) for _ in range(2))
    assert first["x"] != second["x"]


def test_never_overwrites_a_key(tmp_path: Path) -> None:
    _run("--algorithm", "ES256", "--kid", "k1", "--out-dir", str(tmp_path))
    before = (tmp_path / "k1.pem").read_bytes()
    with pytest.raises(CommandError, match="exists"):
        _run("--algorithm", "ES256", "--kid", "k1", "--out-dir", str(tmp_path))
    assert (tmp_path / "k1.pem").read_bytes() == before


@pytest.mark.parametrize("kid", ["../escape", "a/b", ".hidden"])
def test_kid_cannot_leave_the_out_dir(tmp_path: Path, kid: str) -> None:
    with pytest.raises(CommandError, match="--kid"):
        _run("--algorithm", "ES256", "--kid", kid, "--out-dir", str(tmp_path / "keys"))
    assert not (tmp_path / "keys").exists()


def test_runs_while_the_key_settings_are_incomplete(settings: Any, capsys: Any) -> None:
    settings.JWTAUTH = {"ALGORITHM": "RS256"}  # jwtauth.E007 until a key is configured
    # As from the command line, where system checks run unless the command opts out.
    genkey.Command().run_from_argv(["manage.py", "jwtauth_genkey", "--algorithm", "RS256"])
    assert '"ALGORITHM": "RS256"' in capsys.readouterr().out


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(CommandError):
        _run("--algorithm", "HS256")
