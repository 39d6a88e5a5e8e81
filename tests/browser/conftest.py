"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

The browser is found at $CHROMIUM_PATH, /usr/bin/chromium or on PATH. Outside CI the tests skip with
a clear message when none is found; in CI (``CI`` set) a missing browser is an error, because
``.ci/run`` installs Debian's ``chromium`` package first.

Every page load is checked for Content-Security-Policy violations and JavaScript errors in the
browser console, so a page that works only with a relaxed policy fails here.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# page actions are ordinary blocking calls, which Django refuses inside a running loop by default.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
PASSWORD = "test-kodeord-123"  # tests/factories.py UserFactory
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=da-DK",
]


def find_chromium() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API runs an event loop while it is started, and other test
    # modules (tests/flexjob) start their own; one instance at a time.
    path = find_chromium()
    if path is None:
        message = "no Chromium found (install Debian's 'chromium' package or set CHROMIUM_PATH)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency
        pytest.fail("playwright is not installed: run make install")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Konsol:
    """Console errors and CSP violations seen by a page."""

    def __init__(self):
        self.fejl: list[str] = []

    def __call__(self, msg):
        if msg.type == "error":
            self.fejl.append(msg.text)


@pytest.fixture
def ny_side(browser, live_server):
    """Factory for logged-out pages (one browser context each) with console error capture."""
    contexts = []

    def _ny_side(**context_args):
        context = browser.new_context(
            base_url=live_server.url,
            locale="da-DK",
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
            **context_args,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.konsol = Konsol()
        page.on("console", page.konsol)
        page.on("pageerror", lambda exc: page.konsol.fejl.append(f"pageerror: {exc}"))
        return page

    yield _ny_side
    for context in contexts:
        context.close()


def log_ind(page, user) -> None:
    page.goto("/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url, f"login failed for {user.username}"


def ingen_konsolfejl(page) -> None:
    """No CSP violation and no JavaScript error happened on the page so far."""
    assert page.konsol.fejl == [], page.konsol.fejl


def screenshot(page, name: str, *, full_page: bool = False) -> Path | None:
    """Regenerate docs/screenshots/<name>.png, only on request (``make screenshots`` sets
    SCREENSHOTS=1): an ordinary test run leaves the committed images alone."""
    if os.environ.get("SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(target), full_page=full_page)
    return target


def axe_check(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return serious and critical violations.

    The script is evaluated through the DevTools protocol, so the page's CSP stays in force.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    alvorlige = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"][:5]],
        }
        for v in alvorlige
    ]


def assert_axe_clean(page, where: str) -> None:
    fejl = axe_check(page)
    assert fejl == [], f"axe violations on {where}:\n{json.dumps(fejl, indent=2, ensure_ascii=False)}"
