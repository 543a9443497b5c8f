"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Locally they skip when /usr/bin/chromium is missing; in CI (CI=true) a missing
browser is a failure, since .ci/run installs it.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


# Module scope, not session: Playwright's sync API keeps an event loop running in this
# thread, which must be gone before other modules' async tests start.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("CI must have Chromium: .ci/run installs Debian's chromium package.")
        pytest.skip("Chromium is not installed here (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        # That running loop makes Django refuse the ORM calls our tests make between
        # browser steps; they are synchronous and safe.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """A fresh browser context (own cookies) at a viewport, in English or Chinese."""
    contexts = []

    def open_(viewport=PHONE, language="en"):
        context = browser.new_context(viewport=viewport, base_url=live_server.url)
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Saves a full-page screenshot when SCREENSHOT_DIR is set, for people to look at."""
    folder = os.environ.get("SCREENSHOT_DIR")

    def take(page, name: str):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return take
