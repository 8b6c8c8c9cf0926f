"""The Korean catalogues keep to the glossary (locale/glossary.toml, explained in GLOSSARY.md).

Every ko catalogue is read as a translator left it; an entry that breaks a rule is listed with its
catalogue, so the message says what to fix.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = tomllib.loads((ROOT / "locale" / "glossary.toml").read_text(encoding="utf-8"))
CATALOGUES = {path.parts[-5]: path for path in ROOT.glob("*/locale/ko/LC_MESSAGES/django.po")}
CATALOGUES["locale"] = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
# A particle written both ways (을(를)) after a Korean word: the translator knows the word, so
# the right particle can be written. After a placeholder it is resolved when the message is shown
# (sharing_city/core/particles.py).
PAIRED_PARTICLE = re.compile(
    r"[가-힣](을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|\(으\)로|와\(과\)|과\(와\))"
)


def entries(app: str) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(CATALOGUES[app])) if not e.obsolete and e.translated()]


def korean(entry: polib.POEntry) -> list[str]:
    return [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())


def test_every_catalogue_is_read() -> None:
    assert {"locale", "lending", "tool_centres", "closets", "homeshare", "reports"} <= set(
        CATALOGUES
    )
    assert all(entries(app) for app in CATALOGUES)


@pytest.mark.parametrize("term", GLOSSARY["term"], ids=lambda t: t["en"])
def test_terms_use_their_agreed_korean(term: dict) -> None:
    pattern = re.compile(term["match"], re.IGNORECASE)
    wrong = []
    matched = 0
    for app in term.get("apps", CATALOGUES):
        for entry in entries(app):
            if not pattern.search(entry.msgid) or entry.msgid in term.get("except", ()):
                continue
            matched += 1
            for text in korean(entry):
                if not any(ko in text for ko in term["ko"]):
                    wrong.append(f"{app}: {entry.msgid!r} → {text!r}")
    assert matched, f"no catalogue entry uses {term['en']!r}: the rule checks nothing"
    assert not wrong, f"should say {' or '.join(term['ko'])}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("rule", GLOSSARY["exact"], ids=lambda r: r["msgid"])
def test_fixed_translations(rule: dict) -> None:
    found = [
        (app, e.msgstr) for app in CATALOGUES for e in entries(app) if e.msgid == rule["msgid"]
    ]
    assert found
    assert {text for _app, text in found} == {rule["ko"]}, found


@pytest.mark.parametrize("rule", GLOSSARY["forbid"], ids=lambda r: f"{r['ko']} in {r['apps']}")
def test_forbidden_korean(rule: dict) -> None:
    pattern = re.compile(rule["ko"])
    unless = re.compile(rule.get("unless", r"(?!)"))
    wrong = [
        f"{app}: {e.msgid!r} → {text!r}"
        for app in rule["apps"]
        for e in entries(app)
        if not unless.search(e.msgid)
        for text in korean(e)
        if pattern.search(text)
    ]
    assert not wrong, rule["why"] + "\n" + "\n".join(wrong)


def test_one_msgid_one_korean_across_catalogues() -> None:
    """Django merges the catalogues, so one msgid shows one translation everywhere: two apps that
    translate it differently get whichever loads first. A different sense needs a context."""
    seen: dict[tuple[str | None, str], set[tuple[str, str]]] = defaultdict(set)
    for app in CATALOGUES:
        for entry in entries(app):
            for text in korean(entry):
                seen[(entry.msgctxt, entry.msgid)].add((app, text))
    clashes = {k: v for k, v in seen.items() if len({text for _app, text in v}) > 1}
    assert not clashes, "\n".join(f"{k}: {sorted(v)}" for k, v in clashes.items())


def test_no_particle_written_both_ways_after_a_word() -> None:
    wrong = [
        f"{app}: {text!r}"
        for app in CATALOGUES
        for e in entries(app)
        for text in korean(e)
        if PAIRED_PARTICLE.search(text)
    ]
    assert not wrong, "\n".join(wrong)


def test_no_label_says_optional_itself() -> None:
    """Form labels get "(optional)" from templates/includes/field.html; saying it again in the
    label reads "취업 상담(선택) (선택)"."""
    wrong = [
        f"{app}: {e.msgid!r}"
        for app in CATALOGUES
        for e in entries(app)
        if e.msgid.rstrip().endswith("(optional)") or e.msgstr.rstrip().endswith("(선택)")
    ]
    assert not wrong, "\n".join(wrong)
