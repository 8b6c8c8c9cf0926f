"""bin/run-schemathesis fuzzes each API operation as the persona whose operation it is (a path
regex per persona). An operation no regex matches is never fuzzed, and an id schemathesis.toml
asks for that bin/schemathesis-fixtures does not export reaches the API as the literal text
"${SC_...}": both fail here instead of going unnoticed in CI's log."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from drf_spectacular.generators import SchemaGenerator

ROOT = Path(__file__).resolve().parent.parent
METHODS = {"get", "post", "put", "patch", "delete"}


def persona_regexes() -> dict[str, re.Pattern[str]]:
    script = (ROOT / "bin" / "run-schemathesis").read_text()
    block = script.split("PERSONAS=(", 1)[1].split("\n)", 1)[0]
    personas = {}
    for line in block.strip().splitlines():
        name, _token, regex = line.strip().strip('"').split(" ", 2)
        personas[name] = re.compile(regex.replace("\\$", "$"))  # bash's \$ inside "..."
    return personas


def test_every_api_operation_is_fuzzed_by_some_persona():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    personas = persona_regexes()

    unfuzzed = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method in operations
        if method in METHODS and not any(regex.search(path) for regex in personas.values())
    ]

    assert unfuzzed == []
    assert len(personas) >= 8


def test_every_id_the_config_asks_for_is_exported_by_the_fixtures():
    config = tomllib.loads((ROOT / "schemathesis.toml").read_text())
    asked = {
        name
        for entry in config["operations"]
        for value in entry["parameters"].values()
        for name in re.findall(r"\$\{(SC_\w+)\}", value)
    }
    fixtures = (ROOT / "bin" / "schemathesis-fixtures").read_text()
    exported = set(re.findall(r'"(SC_\w+)"', fixtures))
    tokens = {f"SC_TOKEN_{key}" for key in re.findall(r'^    "([A-Z]+)": ', fixtures, re.M)}
    script = (ROOT / "bin" / "run-schemathesis").read_text()

    assert asked and asked <= exported
    assert set(re.findall(r"\$(SC_TOKEN_\w+)", script)) <= tokens
