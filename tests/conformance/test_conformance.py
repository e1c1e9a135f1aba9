"""Conformance with DBML: the official corpus (../shared/corpus/dbml, see its README).

Every valid input parses and binds without error, at least 95% of the invalid ones are rejected, and
for the interpreter snapshots and the normalized models our bound model equals the expected one.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dbdsl.findings import Severity
from dbdsl.workspace import Workspace
from tests.helpers import CORPUS, require_corpus

from .model_json import from_dbml_json, from_schema
from .normalized import from_normalized_json

# Inputs that need files the corpus does not contain are judged by their own verdict only.
REQUIRED_INVALID_RATE = 0.95


def manifest() -> list[dict]:
    require_corpus()
    with open(CORPUS / "manifest.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def dbml_inputs(row: dict) -> list[Path]:
    """The DBML files a manifest row gives us to parse."""
    if row["kind"] == "model-exporter-dbml":
        return [CORPUS / row["expected"]]
    path = CORPUS / row["input"]
    return [path] if path.suffix == ".dbml" else []


def errors_of(path: Path) -> list:
    analysis = Workspace().analyze(str(path))
    return [f for f in analysis.findings if f.severity is Severity.ERROR]


def test_corpus(capsys: pytest.CaptureFixture) -> None:
    rows = manifest()
    valid_total = valid_ok = invalid_total = invalid_ok = models_total = models_ok = 0
    problems: list[str] = []
    for row in rows:
        for path in dbml_inputs(row):
            errors = errors_of(path)
            if row["expect"] == "valid":
                valid_total += 1
                if errors:
                    problems.append(f"{path.name}: {errors[0].code} {errors[0].message} at {errors[0].span}")
                else:
                    valid_ok += 1
            else:
                invalid_total += 1
                invalid_ok += bool(errors)
        expected = expected_model(row)
        if expected is not None:
            models_total += 1
            actual = actual_model(row)
            if actual == expected:
                models_ok += 1
            else:
                problems.append(f"{row['input']}: model differs: {first_difference(expected, actual)}")
    summary = (
        f"conformance: {valid_ok}/{valid_total} valid parsed, {invalid_ok}/{invalid_total} invalid rejected, "
        f"{models_ok}/{models_total} models equal"
    )
    with capsys.disabled():
        print("\n" + summary)
    assert valid_ok == valid_total, "\n".join(problems)
    assert invalid_ok >= REQUIRED_INVALID_RATE * invalid_total, summary
    assert models_ok == models_total, "\n".join(problems)


def expected_model(row: dict) -> dict | None:
    if row["expect"] != "valid":
        return None
    if row["kind"] == "parse-snapshot-interpreter":
        data = json.loads((CORPUS / row["expected"]).read_text(encoding="utf-8"))
        return from_dbml_json(data["database"])
    if row["kind"] == "normalized-model":
        data = json.loads((CORPUS / row["expected"]).read_text(encoding="utf-8"))
        return from_normalized_json(data)
    return None


def actual_model(row: dict) -> dict:
    schema = Workspace().analyze(str(CORPUS / row["input"])).schema
    return from_schema(schema, own_parts_only=row["kind"] != "normalized-model")


def first_difference(expected: object, actual: object, path: str = "") -> str:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            if expected.get(key) != actual.get(key):
                return first_difference(expected.get(key), actual.get(key), f"{path}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (e, a) in enumerate(zip(expected, actual)):
            if e != a:
                return first_difference(e, a, f"{path}[{i}]")
    return f"{path}: expected {expected!r}, got {actual!r}"
