"""test_article_page — lessons 05-07 serve the article's page and routes byte for byte.

The page bytes are taken from the article itself (its text is read from $WIRELAB_ARTICLE,
else the shared/seed/ folder beside the repository, as test_llhttp reads llhttp): every
page the article prints, `b'<html>...</html>'`, must be what the lessons send, every
route of the article's route tables must be served (/favicon.ico included, which the
article carries on into lessons 06 and 07), and the article's /python-logo/ route must
serve the project's own PNG. Without the article's
text the cases are skipped, saying where they looked."""

from __future__ import annotations

import glob
import os
import re

import requests

from harness import Server, Skip, case, run

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
LOGO = os.path.join(REPO, "lessons", "05-caching", "public", "logo.png")


def article_text() -> str:
    """The article's text, every file of its folder joined; Skip when it is not there."""
    folder = os.path.abspath(os.environ.get("WIRELAB_ARTICLE")
                             or os.path.join(REPO, "..", "shared", "seed"))
    files = sorted(glob.glob(os.path.join(folder, "*.txt")))
    if not files:
        raise Skip(f"the article's text is not in {folder} (set WIRELAB_ARTICLE)")
    text = ""
    for name in files:
        with open(name, encoding="utf-8") as f:
            text += f.read()
    return text


def article_pages() -> dict[str, bytes]:
    """The pages the article prints as bytes literals, by title."""
    pages = {}
    for m in re.finditer(r"b'(<html><head><title>([^<{]*)</title>.*?</html>)'", article_text()):
        pages[m.group(2)] = m.group(1).encode("ascii")
    if "Old Website" not in pages:
        raise AssertionError("the article's text holds no 'Old Website' page: not the article?")
    return pages


def get(s: Server, path: str, **kw) -> requests.Response:
    return requests.get(f"http://localhost:{s.port}{path}", timeout=5, **kw)


@case("the article names /python-logo/ in every route table that has a logo")
def _():
    text = article_text()
    tables = re.findall(r"ROUTES = \{(.*?)\}", text, re.S)
    with_logo = [t for t in tables if "logo" in t]
    assert with_logo, tables
    assert all("'/python-logo/'" in t for t in with_logo), with_logo


@case("lessons 05, 06 and 07 serve every route of the article's route tables for them")
def _():
    tables = [re.findall(r"'(/[^']*)'", t) for t in re.findall(r"ROUTES = \{(.*?)\}",
                                                                 article_text(), re.S)]
    assert len(tables) >= 3, tables
    for routes in tables:
        # a table's own route says whose it is: cookies are 06's, the query 07's
        lesson = 6 if "/cookie-test/" in routes else 7 if "/query_test" in routes else 5
        with Server(lesson) as s:
            for path in routes:
                r = requests.get(f"http://localhost:{s.port}{path}", timeout=5,
                                 allow_redirects=False)
                assert r.status_code in (200, 307), (lesson, path, r.status_code)


@case("lessons 05, 06 and 07: /index.html is the article's page, byte for byte")
def _():
    page = article_pages()["Old Website"]
    for lesson in (5, 6, 7):
        with Server(lesson) as s:
            r = get(s, "/index.html")
            assert r.status_code == 200, (lesson, r.status_code)
            assert r.content == page, (lesson, r.content, page)  # gzip undone by requests


@case("lesson 06: the path_specific cookie's title gives the article's test2 page")
def _():
    page = article_pages()["test2"]
    with Server(6) as s:
        r = get(s, "/index.html", cookies={"path_specific": "test2", "var1": "test"})
        assert r.content == page, (r.content, page)


@case("lessons 05, 06 and 07: /python-logo/ serves the project's own PNG, /logo/ is 404")
def _():
    with open(LOGO, "rb") as f:
        png = f.read()
    for lesson in (5, 6, 7):
        with Server(lesson) as s:
            r = get(s, "/python-logo/", headers={"Accept-Encoding": "identity"})
            assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", lesson
            assert r.content == png, (lesson, len(r.content), len(png))
            assert get(s, "/logo/").status_code == 404, lesson


if __name__ == "__main__":
    run()
