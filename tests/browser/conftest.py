"""Browser journeys: Playwright driving Debian's Chromium against the live test server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM:
        pytest.fail("Chromium is not installed: apt-get install chromium (CI does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, reference_data):
    """A phone-sized viewport, as most IKM owners use."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the phone's screen (a phone lays a too-wide page out wider and
    zooms out, so the window grows with it: compare with the screen)."""
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def totp_code(secret: str) -> str:
    """What an authenticator app shows now for this secret (RFC 6238)."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    if 30 - time.time() % 30 < 2:  # about to change: wait for the next code, as a person would
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(page, email: str, password: str, *, totp_secret: str | None = None) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    if totp_secret:
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", totp_code(totp_secret))
        page.click("main form button[type=submit]")
    try:
        page.wait_for_selector("[data-action=sign-out]", state="attached")
    except Exception:
        page.screenshot(path="/tmp/signin-failure.png", full_page=True)
        raise


def sign_out(page) -> None:
    page.goto("/")
    if page.locator(".navbar-toggler").is_visible():
        page.click(".navbar-toggler")
        page.wait_for_selector("#main-menu.show", state="visible")
    # On a loaded machine a click on the account menu can land while the collapsed menu is still opening
    # and not open the dropdown; a person would tap it again.
    for _attempt in range(3):
        page.click("#account-menu")
        try:
            page.wait_for_selector("[data-action=sign-out]", state="visible", timeout=3000)
            break
        except Exception:
            continue
    page.click("[data-action=sign-out]")
    page.wait_for_selector("[data-action=sign-in]", state="attached")


def boxes_scrolling_sideways(page) -> list[str]:
    """The scroll boxes (.table-responsive) whose content is wider than the box on this screen."""
    return page.evaluate("""[...document.querySelectorAll('.table-responsive')]
        .filter(box => box.scrollWidth > box.clientWidth + 1).map(box => box.firstElementChild.outerHTML.slice(0, 80))""")


def cell_label(page, selector: str) -> str:
    """The column name a stacked table shows before a cell on a phone ('' where the table is a table)."""
    content = page.evaluate("s => getComputedStyle(document.querySelector(s), '::before').content", selector)
    return "" if content in ("none", "normal") else content.strip('"')
