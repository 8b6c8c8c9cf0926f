"""Real headless Chromium (Debian's), driven by Playwright, with axe-core on every page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conftest import AXE_JS, CHROMIUM

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
# expect(...) waits as long as the pages' actions do: a click that navigates returns before the
# next page is there, so an assertion about that page must wait for it (an is_visible() did not).
expect.set_options(timeout=10_000)
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _context(browser, viewport):  # type: ignore[no-untyped-def]
    # bypass_csp: our strict CSP would otherwise block injecting axe-core.
    return browser.new_context(viewport=viewport, bypass_csp=True, locale="ko-KR")


@pytest.fixture
def page(browser) -> Iterator:
    context = _context(browser, PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser) -> Iterator:
    context = _context(browser, DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core, WCAG 2.1 A and AA rules: zero violations on the page as it is now.

    resultTypes: only violations are read, so axe stops collecting every passing node (the same
    violations, in a third to a half of the time on our pages).

    A click that navigates returns once the new document is committed, before it has a <head>:
    wait for it to load, so axe is injected into (and judges) the page the click led to."""
    page.wait_for_load_state("load")
    origin = page.evaluate("location.origin")
    page.add_script_tag(url=f"{origin}{settings.STATIC_URL}{AXE_JS.name}")  # see settings.test
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
             resultTypes: ['violations']})"""
    )
    violations = [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert violations == [], f"axe violations on {page.url}:\n" + "\n".join(violations)


def assert_fits_phone(page) -> None:  # type: ignore[no-untyped-def]
    """Nothing scrolls sideways at 360 px."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the viewport"
