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


AXE_SCRIPT = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# What a page may not have: axe-core's two worst impact levels.
AXE_BLOCKING = {"serious", "critical"}


@pytest.fixture
def axe_check():
    """Runs axe-core (npm, installed by `make test` into tests/browser/axe/) on the page
    as it is now, and fails on any serious or critical violation, naming each rule and
    the elements that break it."""
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: `make test` installs it (npm ci in tests/browser/axe).")
    source = AXE_SCRIPT.read_text()

    def check(page, name: str = ""):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(content=source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [v for v in result["violations"] if v["impact"] in AXE_BLOCKING]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in blocking
        )
        assert not blocking, f"axe-core on {name or page.url}:\n{report}"

    return check
