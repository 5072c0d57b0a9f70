"""The MkDocs site: every page in the nav, a strict build that refuses broken links, and the
settings reference in step with DEFAULTS, value for value."""

import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import yaml

from jwtauth.settings import DEFAULTS
from tests.helpers.servers import ROOT

DOCS = ROOT / "docs"


def _build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  mkdocs of this interpreter
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _nav_pages(entries: list) -> set[str]:
    pages: set[str] = set()
    for entry in entries:
        for value in entry.values():
            pages |= _nav_pages(value) if isinstance(value, list) else {value}
    return pages


def test_every_page_is_in_the_nav() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert _nav_pages(config["nav"]) == {page.name for page in DOCS.glob("*.md")}


def test_strict_build_passes_and_fails_on_a_broken_link(tmp_path: Path) -> None:
    built = _build(ROOT, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "install" / "index.html").is_file()

    copy = tmp_path / "copy"
    shutil.copytree(DOCS, copy / "docs")
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    with (copy / "docs" / "index.md").open("a") as page:
        page.write("\nSee [the missing page](missing.md).\n")
    broken = _build(copy, tmp_path / "broken-site")
    assert broken.returncode != 0
    assert "missing.md" in broken.stderr


def test_settings_reference_defaults_are_the_real_defaults() -> None:
    rows = re.findall(
        r"^\| `([A-Z_]+)` \| `(.*?)` \|", (DOCS / "settings.md").read_text(), flags=re.M
    )
    documented = {key: eval(default, {"timedelta": timedelta}) for key, default in rows}  # noqa: S307
    assert documented == DEFAULTS
