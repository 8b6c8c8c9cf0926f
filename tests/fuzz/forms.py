"""The forms on a page, read from its HTML as a browser would see them, and hypothesis
strategies for what a careless or hostile person could type into each field."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    method: str
    action: str
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    def signature(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.method, self.action, tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                method=(a.get("method") or "get").lower(),
                action=a.get("action") or self.page_url,
                multipart="multipart" in a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            known = self._form.fields.get(name)
            if known is not None and kind == "radio":
                known.options.append(a.get("value", "on"))
                return
            self._form.fields[name] = Field(
                name, kind, a.get("value", ""), [a.get("value", "on")] if kind == "radio" else []
            )
        elif tag == "select":
            self._select = self._form.fields[name] = Field(name, "select")
        elif tag == "textarea":
            self._textarea = self._form.fields[name] = Field(name, "textarea")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data


def forms_on(page_url: str, html: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


# --- What people type --------------------------------------------------------------------------

RTL = "\u202e\u200f"
TEXTS = [
    "",
    " ",
    "x" * 10_000,
    RTL + "مرحبا" * 200,
    "😀👨‍👩‍👧" * 1_500,
    "a\x00b",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9999-12-31",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '=HYPERLINK("http://x")',
    "١٢٣",
    "\r\n\t",
    "ㄱㄴㄷ",
]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "10000-01-01",
    "-2026-01-01",
    "1900-01-01",
    "2026-13-01",
    "",
    "tomorrow",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1.5",
    "0.0001",
    "99999999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "١٢",
    "",
    "12abc",
]
TIMES = ["00:00", "23:59", "24:00", "25:61", "", "9999-12-31T23:59", "0001-01-01T00:00"]

text = st.one_of(st.sampled_from(TEXTS), st.text(max_size=40))
dates = st.one_of(
    st.sampled_from(DATES),
    st.dates().map(lambda d: d.isoformat()),
)
numbers = st.one_of(
    st.sampled_from(NUMBERS),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
times = st.one_of(st.sampled_from(TIMES), st.times().map(lambda t: t.isoformat("minutes")))


def value_for(f: Field) -> st.SearchStrategy[str | None]:
    """None leaves the field out of the submission (an unticked box, a tampered form)."""
    if f.kind in ("select", "radio"):
        choice = st.sampled_from(f.options) if f.options else st.just("")
        return st.one_of(choice, choice, st.sampled_from(["not-a-choice", "-1", "999999"]), text)
    if f.kind == "checkbox":
        return st.sampled_from([f.value or "on", None])
    if f.kind == "hidden":  # mostly as rendered; sometimes tampered with
        return st.one_of(st.just(f.value), st.just(f.value), st.just(f.value), text, numbers)
    if f.kind == "date":
        return dates
    if f.kind == "month":
        return st.one_of(st.sampled_from(["0001-01", "9999-12", "2026-13", ""]), text)
    if f.kind in ("time", "datetime-local"):
        return st.one_of(times, dates)
    if f.kind in ("number", "range"):
        return numbers
    return st.one_of(text, numbers, dates)


FILES = [
    b"",
    b"%PDF-1.4\n%broken",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    b"MZ\x90\x00" + b"\x00" * 64,  # an executable
    "제목,수량\n=1+1,9999999999\n".encode(),
]
files = st.sampled_from(FILES)
