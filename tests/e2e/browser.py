"""browser — a real, headless Chromium for end-to-end tests (Debian's chromium,
chromium-driver and python3-selenium; tools/scripts/packages.txt lists them).

    from browser import Browser

    with Browser() as b:                       # a fresh profile in a temporary folder
        b.get(f"http://127.0.0.1:{port}/")     # driver.get
        b.js("return document.title")          # driver.execute_script
        b.driver                               # the selenium WebDriver itself

Each Browser starts its own Chromium with a new --user-data-dir (so no cache,
cookie or history survives from anything else), without background networking
of any kind, and with every host name resolving to nothing except localhost:
the tests run with the network closed and must never reach past 127.0.0.1.
Leaving the block always quits Chromium and removes the profile.

A missing chromium or chromedriver is an error, not a reason to skip: CI
installs them (tools/scripts/deps.sh), so their absence means the set-up is broken.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time

CHROMIUM = os.environ.get("WIRELAB_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("WIRELAB_CHROMEDRIVER", "/usr/bin/chromedriver")

# Flags for a quiet, isolated, offline browser. Each one exists for a reason:
FLAGS = [
    "--headless=new",               # no display needed; the full browser, not the old shell
    "--no-sandbox",                 # the suite runs as root in CI, where the sandbox refuses
    "--disable-gpu",
    "--disable-quic",               # HTTP/1.1 over TCP only
    "--no-first-run",
    "--disable-background-networking",  # no update checks, no safe-browsing lists
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",      # containers often have a tiny /dev/shm
    # Every name resolves to nothing but localhost: nothing leaves 127.0.0.1.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
]


class BrowserMissing(RuntimeError):
    """chromium, chromedriver or selenium is not installed."""


def _require() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python3-selenium")
    if missing:
        raise BrowserMissing("headless browser tests need " + ", ".join(missing) +
                             " (apt-get install chromium chromium-driver python3-selenium;"
                             " make test installs them as root)")


class Browser:
    """A headless Chromium driven by selenium, with a fresh profile."""

    def __init__(self, extra_flags: list[str] | None = None, page_load_timeout: float = 30):
        _require()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="wirelab-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS + list(extra_flags or []):
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}")
        service = Service(executable_path=CHROMEDRIVER, log_path=os.devnull)
        started = time.monotonic()
        try:
            self.driver = webdriver.Chrome(service=service, options=options)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.start_seconds = time.monotonic() - started
        self.driver.set_page_load_timeout(page_load_timeout)

    def get(self, url: str) -> None:
        """Navigate to url and wait for the page's load event (driver.get)."""
        self.driver.get(url)

    def js(self, script: str, *args):
        """Run script in the page and return its result (driver.execute_script)."""
        return self.driver.execute_script(script, *args)

    @property
    def url(self) -> str:
        return self.driver.current_url

    def quit(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> "Browser":
        return self

    def __exit__(self, *exc) -> None:
        self.quit()
