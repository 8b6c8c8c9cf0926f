"""Korean particles after a name that is only known when the message is shown.

A translator writes ``%(code)s을(를)`` or ``{{ title }}이(가)``; ``resolve`` turns the pair into the
one particle the word takes (텐트를, 드릴을, J-0025를, T-0011을), with the ``tossi`` library, which
also reads digits; a word ending in capital letters is read by their names (18V를, 3M을); an
English word it cannot read keeps the pair. The particle follows the word before a closing
quote, a tag or a parenthesis: 「텐트」를, 드릴</a>을, 드릴(T-0011)을 (a parenthesis is
read past, as the
National Institute of the Korean Language advises).
"""

from __future__ import annotations

import re

import tossi

# The pair as written → the form tossi is asked to choose from.
PAIRS = {
    "을(를)": "을",
    "를(을)": "을",
    "이(가)": "이",
    "가(이)": "이",
    "은(는)": "은",
    "는(은)": "은",
    "과(와)": "과",
    "와(과)": "과",
    "(으)로": "으로",
    "(이)라": "이라",
}
_PAIR = re.compile("|".join(re.escape(pair) for pair in PAIRS))
_TRAILING = re.compile(r"(?:<[^<>]*>|[」』\"'”’\s])+$")
_PARENTHESIS = re.compile(r"\([^()]*\)$")
_WORD = re.compile(r"[^\s<>(「『\"'“‘]+$")


# A capital letter at the end (18V, 3M, 2XL) is read by its name: 브이, 엠, 엑스엘. Only the names
# of L, M, N and R end in a consonant; tossi reads Hangul and digits, so it is given the name.
_LETTER_NAMES = {"L": "엘", "M": "엠", "N": "엔", "R": "알"}
_CAPITALS = re.compile(r"(?:^|[^A-Za-z])([A-Z]{1,3})$")


def _pick(word: str, particle: str) -> str:
    picked = tossi.pick(word, particle)
    capitals = _CAPITALS.search(word)
    if "(" in picked and capitals:
        picked = tossi.pick(_LETTER_NAMES.get(capitals.group(1)[-1], "이"), particle)
    return picked


def _word_before(text: str) -> str:
    while True:
        shorter = _PARENTHESIS.sub("", _TRAILING.sub("", text))
        if shorter == text:
            break
        text = shorter
    found = _WORD.search(text)
    return found.group() if found else ""


def resolve(text: str) -> str:
    """Each 을(를)-style pair in ``text`` becomes the particle its word takes; the rest is kept."""
    if "(" not in text:
        return text
    out: list[str] = []
    last = 0
    for match in _PAIR.finditer(text):
        out.append(text[last : match.start()])
        word = _word_before(text[: match.start()])
        out.append(_pick(word, PAIRS[match.group()]) if word else match.group())
        last = match.end()
    out.append(text[last:])
    return "".join(out)
