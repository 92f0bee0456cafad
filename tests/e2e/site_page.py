"""site_page — the article's page, as the lessons serve it (lessons 05-07).

The page is written once, as SITE_PAGE_FORMAT and SITE_TITLE in common/lesson/site.h;
the tests and the benchmark read it from there instead of keeping copies."""

from __future__ import annotations

import os
import re

SITE_H = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common",
                      "lesson", "site.h")


def _define(text: str, name: str) -> str:
    """The string literals of #define name, joined as the C compiler joins them."""
    m = re.search(r"^#define %s\b((?:.*\\\n)*.*)$" % name, text, re.M)
    if not m:
        raise LookupError(f"{SITE_H} has no #define {name}")
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
    return "".join(p.encode("ascii").decode("unicode_escape") for p in parts)


with open(SITE_H, encoding="utf-8") as _f:
    _TEXT = _f.read()
FORMAT = _define(_TEXT, "SITE_PAGE_FORMAT")
TITLE = _define(_TEXT, "SITE_TITLE")


def page(title: str = TITLE) -> str:
    """The page titled title (already HTML-escaped, as the server escapes it)."""
    return FORMAT.replace("%s", title, 1)


PAGE = page().encode()  # the page as /index.html serves it, byte for byte
