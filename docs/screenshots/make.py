"""Take the README's screenshots of the demo pages in Debian's Chromium.

Run with the demo server up (`manage.py demo`): python docs/screenshots/make.py
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).resolve().parent
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        other = browser.new_context(user_agent="Mozilla/5.0 (iPhone) Mobile Safari")
        phone = other.new_page()
        phone.goto(f"{BASE}/login/")
        phone.get_by_label("Username or email").fill("demo")
        phone.get_by_label("Password").fill("demo-password-2024")
        phone.get_by_role("button", name="Log in").click()
        phone.get_by_text("Your account").wait_for()

        page = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
        page.goto(f"{BASE}/login/")
        page.get_by_label("Username or email").fill("demo")
        page.screenshot(path=OUT / "login.png")
        page.get_by_label("Password").fill("demo-password-2024")
        page.get_by_role("button", name="Log in").click()
        page.locator("#sessions tr").nth(1).wait_for()
        page.screenshot(path=OUT / "account.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
