"""Browser-test fixtures: the demo agency on a live server, and Debian's headless Chromium.

The server runs on its own fresh database (not the unit tests' one) with CSRF
switched on, as in production. Each test gets a new browser context at the
viewport it asks for and fails when the page logged an error (CSP violations
included) or fetched anything from a host other than the test server.
"""

import threading
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from casework.demo import load_demo_data
from casework.extensions import db
from tests.conftest import build_app

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (tests may run as root in a container); nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
HOST = "127.0.0.1"
VIEWPORTS = {
    "tablet": {"width": 800, "height": 1280},
    # The smallest common portrait tablet (iPad, many 8-inch Android tablets).
    "tablet-768": {"width": 768, "height": 1024},
    "landscape": {"width": 1280, "height": 800},
    "phone": {"width": 360, "height": 740},
}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(autouse=True)
def _transaction():
    """Replaces the unit tests' per-test rollback: the browser talks to its own live database."""
    yield


@pytest.fixture(scope="session")
def demo_app():
    """The app on a fresh database holding the reference data, CSRF checks on."""
    app = build_app("browser", WTF_CSRF_ENABLED=True)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def demo_users(demo_app):
    """Loads the demo agency; its logins by role: ``demo_users["admin"]["username"]``."""
    with demo_app.app_context():
        logins = load_demo_data()
        db.session.commit()
    return {login["role"]: login for login in logins}


@pytest.fixture(scope="session")
def live_url(demo_app, demo_users):
    """Base URL of the demo app, with its demo data, served on a free local port by a background thread."""
    server = make_server(HOST, 0, demo_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://{HOST}:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session; Playwright never downloads a browser."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian chromium: apt-get install chromium", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def viewport(request):
    """The viewport name a test asks for by indirect parametrisation; a portrait tablet otherwise."""
    return getattr(request, "param", "tablet")


@pytest.fixture
def page_log():
    """What the page reported: console errors (CSP violations included) and requests to other hosts.

    A test that provokes an error on purpose (an error page's status) removes
    that one entry; anything else left here fails the test.
    """
    return SimpleNamespace(errors=[], foreign=[])


@pytest.fixture
def page(browser, live_url, viewport, page_log):
    """A page in a fresh context at ``viewport``; fails the test on anything left in ``page_log``."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID", base_url=live_url)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and page_log.errors.append(message.text))
    page.on("pageerror", lambda error: page_log.errors.append(f"uncaught: {error}"))
    context.on("request", lambda request: _is_foreign(request.url) and page_log.foreign.append(request.url))
    yield page
    context.close()
    assert page_log.errors == [], "the page logged errors"
    assert page_log.foreign == [], "the page loaded something from another host"


def _is_foreign(url):
    """True for a request to any host other than the test server."""
    return urlsplit(url).hostname != HOST


@pytest.fixture
def screenshot(page, viewport):
    """Saves a full-page screenshot as test-artifacts/screenshots/<name>-<viewport>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        path = SCREENSHOTS / f"{name}-{viewport}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(page):
    """Signs ``user`` (a demo login) in through the login page and waits for the home page."""

    def sign_in_as(user):
        page.goto("/login")
        page.get_by_label("Nama pengguna").fill(user["username"])
        page.get_by_label("Kata sandi").fill(user["password"])
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/home")
        return user

    return sign_in_as
