"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

``CHROMIUM_PATH`` names the browser binary (default /usr/bin/chromium). Without one the browser
tests skip, saying why; with ``JWTAUTH_REQUIRE_BROWSER=1`` (set by CI) they fail instead.
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests make
# here are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        reason = (
            f"Chromium not found at {CHROMIUM}: install it (Debian: apt-get install chromium) "
            "or set CHROMIUM_PATH to a Chromium or Chrome binary"
        )
        # CI sets JWTAUTH_REQUIRE_BROWSER=1, so a missing browser fails there instead.
        if os.environ.get("JWTAUTH_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(chromium: Any) -> Iterator[Any]:
    contexts = []

    def make() -> Any:
        context = chromium.new_context()
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Any) -> Any:
    return new_context().new_page()
