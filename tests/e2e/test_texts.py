"""test_texts — what every lesson's README.md promises the student exists.

Every lessons/NN-slug/README.md has a "## Your turn" section that names the commands of
the exercise loop and a stretch goal, and names at least one canned request; every canned
request a README names in backticks (a lowercase name with a hyphen, such as
`curl-get`) is a requests/NAME.http of that lesson, or of the lesson the same paragraph
names ("lesson 03's `chunked-post`"), unless it names a variant or one of the lesson's
random cases (check.json); a "## Try this" list is followed by its answers,
behind a <details> fold, one numbered answer per question. The checker is itself checked
on READMEs made wrong on purpose, so a missing section or request cannot pass unseen."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess

import harness as h

LESSON_DIRS = sorted(glob.glob(os.path.join(h.REPO, "lessons", "[0-9][0-9]-*")))

# Backticked words shaped like a request name that are not one: a Cache-Control directive.
NOT_REQUESTS = {"max-age", "no-cache", "no-store", "must-revalidate"}

# What a "Your turn" section must mention, as `lab COMMAND N` (N the lesson's number).
COMMANDS = ("exercise", "check", "watch", "hint", "diff", "solution")

NAME = re.compile(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`")


def request_names(folder: str) -> set[str]:
    return {os.path.basename(p)[:-len(".http")]
            for p in glob.glob(os.path.join(folder, "requests", "*.http"))}


def variants(folder: str) -> set[str]:
    """The lesson's variants, as its binary lists them (expected/ folders when unbuilt)."""
    names = {os.path.basename(p) for p in glob.glob(os.path.join(folder, "expected", "*"))}
    exe = os.path.join(h.bin_dir(), "lesson-" + os.path.basename(folder)[:2])
    if os.access(exe, os.X_OK):
        p = subprocess.run([exe, "--variants"], capture_output=True, text=True, timeout=10)
        names |= set(p.stdout.split())
    return names


def random_cases(folder: str) -> set[str]:
    """The names of the random requests check.json describes (not canned requests, but
    named as they are in check's output)."""
    with open(os.path.join(folder, "check.json"), encoding="utf-8") as f:
        return {r["name"] for r in json.load(f).get("random", [])}


def section(text: str, title: str) -> str | None:
    """The body of "## title" up to the next "## " heading, or None."""
    m = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else None


def lesson_folders_by_number() -> dict[str, str]:
    return {os.path.basename(d)[:2]: d for d in LESSON_DIRS}


def problems_your_turn(text: str, number: int, requests: set[str]) -> list[str]:
    body = section(text, "Your turn")
    if body is None:
        return ["no \"## Your turn\" section"]
    out = []
    for command in COMMANDS:
        if not re.search(rf"lab {command} {number}\b", body):
            out.append(f"\"Your turn\" never says `lab {command} {number}`")
    if "stretch" not in body.lower():
        out.append("\"Your turn\" has no stretch goal (the word \"Stretch\")")
    if not set(NAME.findall(body)) & requests:
        out.append("\"Your turn\" names none of the lesson's canned requests")
    return out


def problems_requests(text: str, own: set[str], skip: set[str],
                      others: dict[str, set[str]]) -> list[str]:
    """Every backticked request-shaped name exists, here or in the lesson its paragraph
    names."""
    out = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        named = set(re.findall(r"[Ll]essons? (\d\d)", paragraph))
        for name in NAME.findall(paragraph):
            if name in own or name in skip or name in NOT_REQUESTS:
                continue
            if any(name in others.get(n, set()) for n in named):
                continue
            out.append(f"`{name}` is no requests/{name}.http of this lesson"
                       + (f" nor of lesson {', '.join(sorted(named))}" if named else ""))
    return out


def problems_answers(text: str) -> list[str]:
    body = section(text, "Try this")
    if body is None:
        return []
    questions = body.split("<details>")[0]
    asked = re.findall(r"^(\d+)\. ", questions, re.M)
    m = re.search(r"<details>\s*<summary>Answers</summary>(.*?)</details>", body, re.S)
    if not m:
        return ["\"Try this\" has no <details><summary>Answers</summary> fold after it"]
    answered = re.findall(r"^(\d+)\. ", m.group(1), re.M)
    if asked != answered:
        return [f"\"Try this\" asks {asked} but answers {answered}"]
    return []


def problems(folder: str) -> list[str]:
    with open(os.path.join(folder, "README.md"), encoding="utf-8") as f:
        text = f.read()
    own = request_names(folder)
    others = {n: request_names(d) for n, d in lesson_folders_by_number().items()}
    number = int(os.path.basename(folder)[:2])
    skip = set().union(*(variants(d) for d in LESSON_DIRS)) | random_cases(folder)
    return (problems_your_turn(text, number, own) + problems_requests(text, own, skip, others)
            + problems_answers(text))


for _folder in LESSON_DIRS:
    def _check(folder: str = _folder) -> None:
        found = problems(folder)
        if found:
            h.fail(f"{os.path.basename(folder)}/README.md:\n  " + "\n  ".join(found))
    h.add_case(f"{os.path.basename(_folder)}/README.md: Your turn, its named requests exist, "
               "Try this answered", _check)


@h.case("the checker catches a missing section, a named request that does not exist, "
        "and a Try this without answers")
def _():
    good = ("## Your turn\n\n" + " ".join(f"`lab {c} 3`" for c in COMMANDS)
            + " grade it with `curl-get`. Stretch: more.\n\n## Try this\n\n1. Why?\n\n"
            "<details><summary>Answers</summary>\n\n1. Because.\n\n</details>\n")
    own, others = {"curl-get"}, {"03": {"curl-get"}, "04": {"te-gzip"}}
    assert problems_your_turn(good, 3, own) == [], problems_your_turn(good, 3, own)
    assert problems_requests(good, own, set(), others) == []
    assert problems_answers(good) == []
    missing = good.replace("## Your turn", "## Your go")
    assert problems_your_turn(missing, 3, own) == ["no \"## Your turn\" section"]
    no_stretch = good.replace("Stretch", "Then")
    assert any("stretch" in p for p in problems_your_turn(no_stretch, 3, own))
    no_watch = good.replace("`lab watch 3`", "")
    assert any("lab watch 3" in p for p in problems_your_turn(no_watch, 3, own))
    typo = good + "\nSend `curl-gte` now.\n"
    assert problems_requests(typo, own, set(), others) == [
        "`curl-gte` is no requests/curl-gte.http of this lesson"]
    elsewhere = good + "\nLesson 04's `te-gzip` and `te-gzip-2`.\n"
    assert problems_requests(elsewhere, own, set(), others) == [
        "`te-gzip-2` is no requests/te-gzip-2.http of this lesson nor of lesson 04"]
    assert problems_requests(good + "\nthe `hello-world` variant\n", own, {"hello-world"},
                             others) == []
    unanswered = good.split("<details>")[0]
    assert problems_answers(unanswered) != []
    short = good.replace("1. Why?", "1. Why?\n2. And?")
    assert problems_answers(short) == ["\"Try this\" asks ['1', '2'] but answers ['1']"]


h.run()
