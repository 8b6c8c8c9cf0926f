"""Schemathesis hooks (loaded by schemathesis.toml).

The configured body values in every phase:

Schemathesis 4 applies `body.*` parameters of schemathesis.toml only while fuzzing; its coverage
and stateful phases send generated codes, so a desk check-in never finds the copy it names.
Before each positive request this puts the configured values into the fields the generated
JSON body has, as a number where the generated value is one (the config file can only give
strings from the environment). Negative cases are left alone: they are meant to be wrong.

And a deserializer for the open data's text/csv, so its rows are checked against the schema.

And one `ast.parse` at a time: bin/run-schemathesis runs two workers (threads), and Hypothesis
parses source to describe a filter; on CPython 3.11 (ours) two parses at once share the AST
constructor's depth counter and one of them raises "SystemError: AST constructor recursion
depth mismatch" (CPython gh-106905), which schemathesis reports as an error of the operation
it was generating cases for (seen with --workers 2 on the coordinator's and the host's runs).
"""

from __future__ import annotations

import ast
import csv
import io
import threading
from typing import Any

import schemathesis

BODY = "body."
EACH = "[*]"

_parse = ast.parse
_parsing = threading.Lock()


def _one_parse_at_a_time(*args: Any, **kwargs: Any) -> Any:
    with _parsing:
        return _parse(*args, **kwargs)


ast.parse = _one_parse_at_a_time


def _like(value: Any, generated: Any) -> Any:
    if isinstance(generated, int) and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


@schemathesis.hook
def before_call(ctx: Any, case: Any, **kwargs: Any) -> None:
    meta = case.meta
    if not isinstance(case.body, dict) or meta is None or meta.generation.mode.is_negative:
        return
    config = case.operation.schema.config.operations.get_for_operation(case.operation)
    for key, value in config.parameters.items():
        name = key[len(BODY) :].removesuffix(EACH)
        if not key.startswith(BODY) or "." in name or name not in case.body:
            continue
        if key.endswith(EACH):
            case.body[name] = [value]
        else:
            case.body[name] = _like(value, case.body[name])


def _resolve(node: Any, raw: dict[str, Any]) -> Any:
    """The schema behind a local `$ref` (drf-spectacular's are all "#/components/...")."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = raw
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _cell(text: str, schema: dict[str, Any]) -> Any:
    """A CSV cell as the JSON value the row schema describes (CSV has only text)."""
    kind = schema.get("type")
    if text == "" and (schema.get("nullable") or kind in ("integer", "number")):
        return None
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return text.lower() == "true"
    return text


@schemathesis.deserializer("text/csv")
def csv_rows(ctx: Any, response: Any) -> list[dict[str, Any]]:
    """The open data's CSV, as rows typed by the schema, so it is validated like the JSON."""
    raw = ctx.operation.schema.raw_schema
    content = ctx.operation.definition.raw["responses"][str(response.status_code)]["content"]
    rows = _resolve(_resolve(content["text/csv"]["schema"], raw).get("items", {}), raw)
    properties = {name: _resolve(s, raw) for name, s in rows.get("properties", {}).items()}
    text = response.content.decode(response.encoding or "utf-8-sig").lstrip("\ufeff")
    return [
        {name: _cell(value, properties.get(name, {})) for name, value in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]
