"""Browser tests: Playwright drives the system's Chromium against a live server.

They skip with a clear message when no Chromium is installed, unless REQUIRE_BROWSER=1,
in which case a missing browser fails the run (CI sets it)."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERIOUS_IMPACTS = {"serious", "critical"}
PHONE = {"width": 360, "height": 740}  # the narrowest common phone screen

# Playwright's sync API runs an event loop in this thread; the ORM calls made by test set-up
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "No Chromium found (install Debian's `chromium` or set CHROMIUM_PATH)."
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message + " REQUIRE_BROWSER=1 makes this an error.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class BrowserPage:
    """A page plus the checks every journey makes: no console errors (a CSP violation shows
    up there), no request to another host, and axe-core finds nothing serious."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.checked_urls: list[str] = []
        self.broken_resources: list[str] = []
        page.on("console", self._on_console)
        page.on("request", self._on_request)
        page.on("response", self._on_response)

    def _on_console(self, message):
        # A page answered with 4xx on purpose logs "Failed to load resource"; broken
        # sub-resources are caught by _on_response instead.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.console_errors.append(message.text)

    def _on_response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.broken_resources.append(f"{response.status} {response.url}")

    def _on_request(self, request):
        if not request.url.startswith((self.base_url, "data:", "blob:")):
            self.foreign_requests.append(request.url)

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self

    def check_layout(self):
        """Phones first: no page scrolls sideways (at 360 px on a phone)."""
        content, window = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert content <= window, (
            f"{self.page.url} scrolls sideways at {window} px: its content is {content} px wide"
        )

    def check_accessibility(self):
        """axe-core finds nothing serious, and the page does not scroll sideways."""
        from axe_playwright_python.sync_playwright import Axe

        self.check_layout()

        results = Axe().run(self.page)
        serious = [
            violation
            for violation in results.response["violations"]
            if violation.get("impact") in SERIOUS_IMPACTS
        ]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in serious
        )
        assert not serious, f"axe-core on {self.page.url}:\n{report}"
        self.checked_urls.append(self.page.url)

    def assert_clean(self):
        assert self.console_errors == [], self.console_errors
        assert self.broken_resources == [], self.broken_resources
        assert self.foreign_requests == [], self.foreign_requests


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def screenshot_on_failure(request, pages, label):
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        folder = Path("test-results")
        folder.mkdir(exist_ok=True)
        for index, page in enumerate(pages):
            name = f"{request.node.name}-{label}-{index}"
            page.screenshot(path=folder / f"{name}.png", full_page=True)
            (folder / f"{name}.url").write_text(page.url)


@pytest.fixture
def browser_page(browser, live_server, site_db, request):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    wrapper = BrowserPage(page, live_server.url)
    yield wrapper
    screenshot_on_failure(request, [page], "desktop")
    context.close()


@pytest.fixture
def new_browser_page(browser, live_server, site_db, request):
    """A second, separate browser (another person on another machine)."""
    contexts = []

    def make(locale="en-GB"):
        context = browser.new_context(locale=locale, viewport=PHONE)
        contexts.append(context)
        return BrowserPage(context.new_page(), live_server.url)

    yield make
    screenshot_on_failure(request, [p for context in contexts for p in context.pages], "phone")
    for context in contexts:
        context.close()
