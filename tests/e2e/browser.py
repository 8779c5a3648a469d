"""
What the browser tests share: one headless Chromium per test class against Django's live
server, the demo data loaded before each test, and the checks every page goes through
(axe-core, the Nu HTML checker, screenshots at two widths, no sideways scrolling).

Nothing is fetched from outside: Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM),
Playwright never downloads a browser, and the checker and axe come from node_modules.
"""

import functools
import json
import os
import shutil
import subprocess
from io import StringIO
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
JAVA = os.environ.get("JAVA", "java")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Git-ignored; written afresh by every run.
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
FAILURES = ARTIFACTS / "failures"

# Root needs --no-sandbox. The rest keep Chromium from reaching out to the network
# (closed here; its background requests only make runs slower and flakier).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SCREEN_WIDTHS = (PHONE["width"], DESKTOP["width"])
# WCAG 2.1 levels A and AA; failing impacts.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING = {"serious", "critical"}

# For every action and expect(): generous, for a busy two-core CI machine.
TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)


def missing_tools():
    """What the browser tests need but this machine lacks, each with how to get it."""
    problems = []
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)")
    if shutil.which(JAVA) is None:
        problems.append(f"Java ({JAVA}) for the Nu HTML checker (apt-get install default-jre)")
    for path in (AXE_JS, VNU_JAR):
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} (npm ci, or make test-e2e)")
    return problems


class BrowserTestCase(StaticLiveServerTestCase):
    """
    A live server on the test database (the throwaway PostgreSQL under `make test-e2e`),
    one browser for the class and a fresh browser context (cookies, downloads) per test.
    """

    host = "127.0.0.1"
    # Each test ends by emptying every table: bring back the rows the migrations made
    # (countries, their state actors, the Editors and Publishers groups) before the next one.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        if problems := missing_tools():
            raise RuntimeError(
                f"The browser tests need: {'; '.join(problems)}. `make test-e2e` installs them."
            )
        super().setUpClass()
        serialized = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
        cls.playwright = sync_playwright().start()
        # Playwright's event loop now runs in this thread, so Django keeps database
        # connections per context rather than per thread: the connection objects from
        # here on are new ones, without the copy of the migrated rows that
        # serialized_rollback restores (and that stops the flush re-creating content
        # types) between tests. Hand it over.
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        try:
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except Exception:
            cls.playwright.stop()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        # Close this context's connections while it is still the current one.
        connections.close_all()
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        call_command("load_demo", stdout=StringIO())
        self.context = self.browser.new_context(viewport=DESKTOP, accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        # Uncaught JavaScript errors, and anything the Content-Security-Policy blocked.
        self.page_errors = []
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("console", self.console_message)

    def console_message(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.page_errors.append(f"{message.text} ({message.location.get('url')})")

    def _callTestMethod(self, method):
        try:
            super()._callTestMethod(method)
        except Exception:
            self.keep_failure()
            raise

    def keep_failure(self):
        """Keep what the browser showed when the test failed, in test-artifacts/failures/."""
        FAILURES.mkdir(parents=True, exist_ok=True)
        name = self.id().removeprefix("tests.e2e.")
        try:
            self.page.screenshot(path=FAILURES / f"{name}.png", full_page=True)
            (FAILURES / f"{name}.html").write_text(self.page.content())
        except Exception:  # noqa: BLE001 - best effort: the test's own failure is what matters
            pass

    def tearDown(self):
        self.context.close()
        super().tearDown()
        self.assertEqual(self.page_errors, [], "JavaScript errors or CSP violations")

    # --- navigation --------------------------------------------------------------------

    def url(self, path):
        return self.live_server_url + path

    def go(self, path, status=200):
        response = self.page.goto(self.url(path))
        self.assertEqual(response.status, status, f"GET {path}")
        return response

    def path(self):
        """The current address without scheme and host: '/claims/?page=2'."""
        return self.page.url.removeprefix(self.live_server_url)

    # --- keyboard ----------------------------------------------------------------------

    def focused(self):
        """What has the keyboard focus, and whether the focus can be seen."""
        return self.page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const box = el.getBoundingClientRect();
                return {
                    tag: el.tagName.toLowerCase(),
                    id: el.id,
                    name: el.getAttribute('name'),
                    href: el.getAttribute('href'),
                    text: (el.innerText || el.value || '').trim().slice(0, 80),
                    focusVisible: el.matches(':focus-visible'),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                    inViewport: box.width > 0 && box.height > 0 && box.bottom > 0
                        && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
                };
            }"""
        )

    def assert_focus_visible(self, focus):
        self.assertTrue(focus["focusVisible"], f"focus does not show as :focus-visible: {focus}")
        self.assertTrue(focus["outline"], f"no visible focus outline: {focus}")
        self.assertTrue(focus["inViewport"], f"the focused element is off screen: {focus}")

    def tab_to(self, selector, text=None, limit=150):
        """
        Press Tab until the focused element matches the CSS `selector` (and holds `text`),
        checking on the way that every element reached shows its focus. Returns the
        focused element's description.
        """
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            focus = self.focused()
            if focus["tag"] == "body":
                continue
            self.assert_focus_visible(focus)
            if self.page.evaluate("s => document.activeElement.matches(s)", selector) and (
                text is None or text in focus["text"]
            ):
                return focus
        self.fail(f"{selector} {text or ''} was not reached with {limit} presses of Tab")

    # --- page checks -------------------------------------------------------------------

    def axe_violations(self):
        """axe-core's serious and critical WCAG 2.1 A/AA violations on the current page."""
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            # Evaluated through the DevTools protocol rather than added as a <script>,
            # which the site's Content-Security-Policy (script-src 'self') would block.
            self.page.evaluate(f"() => {{ {axe_source()}\n}}")
        violations = self.page.evaluate(
            """async (tags) => {
                const results = await axe.run(document, {
                    runOnly: {type: 'tag', values: tags},
                    resultTypes: ['violations'],
                });
                return results.violations.map(v => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html})),
                }));
            }""",
            AXE_TAGS,
        )
        return [v for v in violations if v["impact"] in AXE_FAILING]

    def overflowing(self):
        """Elements sticking out sideways at the current width (the page scrolls sideways)."""
        return self.page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                if (document.documentElement.scrollWidth <= width) return [];
                return [...document.body.querySelectorAll('*')]
                    .filter(el => el.getBoundingClientRect().right > width + 1)
                    .slice(0, 5)
                    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                        + (el.className && typeof el.className === 'string'
                            ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            }"""
        )

    def screenshots(self, name):
        """Full-page screenshots at 360 and 1280 px; returns what overflows at 360 px."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        overflow = []
        for width in SCREEN_WIDTHS:
            self.page.set_viewport_size(PHONE if width == PHONE["width"] else DESKTOP)
            if width == PHONE["width"]:
                overflow = self.overflowing()
            self.page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        self.page.set_viewport_size(DESKTOP)
        return overflow


@functools.cache
def axe_source():
    return AXE_JS.read_text()


def vnu_errors(files):
    """
    Run the Nu HTML checker once over all `files`: {file name: [error, ...]}, each error
    a dict with its message, line and extract. One JVM for the lot: starting Java is
    most of the cost of checking a page.
    """
    if not files:
        return {}
    command = [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, timeout=600
    )
    # Exit status 1 means "found errors"; the report itself goes to standard error.
    try:
        messages = json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        messages = None
    if messages is None or result.returncode not in (0, 1):
        raise RuntimeError(
            f"The Nu HTML checker failed (exit status {result.returncode}): {result.stderr[-2000:]}"
        )
    errors = {}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        name = Path(message.get("url", "unknown").removeprefix("file:")).name
        errors.setdefault(name, []).append(
            {
                "message": message.get("message", ""),
                "line": message.get("lastLine"),
                "extract": " ".join(message.get("extract", "").split()),
            }
        )
    return errors
