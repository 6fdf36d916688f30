"""Browser tests: Playwright driving Debian's chromium against Django's live server."""

import os

import pytest

# Playwright runs an event loop in the test thread; the ORM calls in fixtures are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "viewport": {"width": 1280, "height": 900}}


# Chromium reports a blocked inline style or script only on the console; this also turns
# the page's securitypolicyviolation events into console errors, with the directive.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} `
    + `${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


def is_csp_violation(text: str) -> bool:
    return "Content Security Policy" in text or text.startswith("CSP violation")


@pytest.fixture(autouse=True)
def fail_on_csp_violation(request, monkeypatch):
    """Every browser test fails when a page it opened broke the Content Security Policy."""
    if "browser" not in request.fixturenames:
        yield []
        return
    browser = request.getfixturevalue("browser")
    violations: list[str] = []
    own_contexts = []

    def watch(context):
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on(
            "console",
            lambda message: is_csp_violation(message.text) and violations.append(message.text),
        )
        return context

    new_context = browser.new_context

    def new_watched_context(*args, **kwargs):
        return watch(new_context(*args, **kwargs))

    def new_watched_page(*args, **kwargs):
        context = new_watched_context(*args, **kwargs)
        own_contexts.append(context)  # as with Browser.new_page, the page's own context
        return context.new_page()

    monkeypatch.setattr(browser, "new_context", new_watched_context)
    monkeypatch.setattr(browser, "new_page", new_watched_page)
    yield violations
    for context in own_contexts:
        context.close()
    assert violations == [], "The page broke the Content Security Policy"


@pytest.fixture
def sign_in(live_server):
    """Return a function that signs a person in through the login form."""
    from tests.factories import PASSWORD

    def sign_in(page, user, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}/")

    return sign_in
