"""test_browser_0609 — what a real browser (headless Chromium) makes of lessons 06-09.

Lesson 08: a file chosen in the form's file input is uploaded, saved under its base
name and byte-identical, and the fields are printed.

Lesson 06: Chromium keeps var1 and path_specific but refuses shady_cookie (its Domain
is another site); it sends path_specific back to /cookie-test/ and not to
/cookie-test2/; and once the expire variant has answered, var1 is gone. What the
browser holds is read with driver.get_cookies(); what it sent, from the header dicts
the server printed on stdout, never assumed.

Cookies belong to a host, not to a host and port (RFC 6265 §8.5): the expire variant
runs on a second port of the same localhost, and the cookie it expires is the one the
first server set.

Needs chromium, chromium-driver and python3-selenium: missing ones are a failure, not
a skip (CI installs them)."""

from __future__ import annotations

import ast
import os
import tempfile
import time

from browser import Browser
from harness import REPO, Server, case, diag, run


def settle(s: Server, quiet: float = 0.5, timeout: float = 5) -> None:
    """Wait until the server's stderr (the access log) has been quiet for `quiet` s."""
    deadline = time.monotonic() + timeout
    last, changed = len(s.stderr()), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = len(s.stderr())
        if now != last:
            last, changed = now, time.monotonic()
        elif time.monotonic() - changed >= quiet:
            return


def sent_cookies(s: Server) -> list[str]:
    """The Cookie header of every request printed since the last call ("" for none)."""
    out = []
    for line in s.take_stdout().splitlines():
        if line.startswith("{'Host'"):
            out.append(ast.literal_eval(line).get("Cookie", ""))
    return out


def names(b: Browser) -> set[str]:
    return {c["name"] for c in b.driver.get_cookies()}


@case("lesson 06: Chromium keeps var1 and path_specific, refuses shady_cookie, scopes by path, "
      "and drops var1 when the expire variant answers")
def _():
    with Server(6) as s, Server(6, "expire") as e, Browser() as b:
        b.get(f"http://localhost:{s.port}/cookie-test/")
        settle(s)
        held = names(b)
        diag(f"after /cookie-test/ Chromium holds {sorted(held)}")
        assert held == {"var1", "path_specific"}, held
        assert b.js("return document.title") == "Old Website"
        sent_cookies(s)

        b.get(f"http://localhost:{s.port}/cookie-test/")
        settle(s)
        assert b.js("return document.title") == "test2"
        sent = [c for c in sent_cookies(s) if c]
        diag(f"to /cookie-test/ again it sent {sent}")
        assert len(sent) == 1 and set(sent[0].split("; ")) == {"path_specific=test2", "var1=test"}

        # /cookie-test2/: path_specific's Path is /cookie-test/, and var1's default path
        # is /cookie-test (RFC 6265 §5.1.4), which does not path-match /cookie-test2/.
        b.get(f"http://localhost:{s.port}/cookie-test2/")
        settle(s)
        sent = sent_cookies(s)
        diag(f"to /cookie-test2/ it sent {sent}")
        assert sent and not any(sent), sent
        assert b.js("return document.title") == "Old Website"

        # The expire variant on another port of the same host.
        b.get(f"http://localhost:{e.port}/cookie-test/")
        settle(e)
        held = names(b)
        diag(f"after the expire variant Chromium holds {sorted(held)}")
        assert held == {"path_specific"}, held
        b.get(f"http://localhost:{s.port}/cookie-test/")  # sets var1 again, sends only path_specific
        settle(s)
        sent = [c for c in sent_cookies(s) if c]
        assert sent == ["path_specific=test2"], sent


@case("lesson 08: Chromium uploads a file through the form; it is saved byte-identical")
def _():
    logo = os.path.join(REPO, "lessons", "05-caching", "public", "logo.png")
    with tempfile.TemporaryDirectory() as tmp, \
            Server(8, args=["--upload-dir", os.path.join(tmp, "up")]) as s, Browser() as b:
        d = os.path.join(tmp, "up")  # made by the server, so the user it becomes owns it
        from selenium.webdriver.common.by import By
        b.get(f"http://localhost:{s.port}/")
        b.driver.find_element(By.NAME, "image_data").send_keys(logo)
        b.driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        deadline = time.monotonic() + 10
        while b.js("return document.title") != "Uploaded" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b.js("return document.title") == "Uploaded"
        text = b.js("return document.body.innerText")
        diag(f"Chromium shows: {text.strip()}")
        assert "logo.png: 1896 bytes, image/png" in text, text
        with open(os.path.join(d, "logo.png"), "rb") as f, open(logo, "rb") as g:
            assert f.read() == g.read()
        printed = s.take_stdout()
        assert "{'field1': 'value1', 'field2': 'value2'}" in printed, printed
        assert "multipart/form-data; boundary=----WebKitFormBoundary" in printed, printed


run()
