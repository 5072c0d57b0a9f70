"""The docs keep up with the code: every setting documented, every page linked from the README."""

import re

import pytest

from jwtauth.settings import DEFAULTS
from tests.helpers.servers import ROOT

DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_settings_reference() -> None:
    text = (DOCS / "settings.md").read_text()
    # Each key heads a table row of its own.
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", text, flags=re.MULTILINE))
    assert documented == set(DEFAULTS)


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")))
def test_every_doc_is_linked_from_the_readme(page: str) -> None:
    assert f"](docs/{page})" in README


def test_relative_links_in_docs_resolve() -> None:
    for page in [*DOCS.glob("*.md"), ROOT / "README.md"]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_readme_starts_with_the_demo_and_test_commands() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README, flags=re.DOTALL)
    assert commands[:2] == [
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && "
        ".venv/bin/python manage.py demo",
        "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && "
        ".venv/bin/python -m pytest",
    ]
