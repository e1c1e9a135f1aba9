"""SQL Server, Oracle and Snowflake have no engine here, so their output is checked without one: every
statement reads back with sqlglot in that dialect as the statement it was (no unparsed fallback), every
table and junction table is created, every relationship is a foreign key unless a warning says why
not, and every warning is in the script."""

from __future__ import annotations

import re

import pytest
from sqlglot import exp

from dbdsl.dialects import sqlglot_dialect
from dbdsl.emit.sql import generate, with_junction_tables
from dbdsl.importers.sql import split_statements
from tests.helpers import require_corpus

from .cases import case_id, corpus_inputs, sample_inputs, schema_of

DIALECTS = ("mssql", "oracle", "snowflake")
NO_FOREIGN_KEY = re.compile(r"^relationship .*; no foreign key")
SKIPPED = "a statement uses a type the engine does not know (warned)"
UNKNOWN_TYPE = re.compile(r"type '[^']+' is not a known \w+( \w+)? type")


def problems(path, dialect: str) -> list[str]:
    """What is wrong with the dialect's script of `path`; `[SKIPPED]` alone when a statement cannot be
    read because it uses a type the engine does not know, as the script warned."""
    schema = schema_of(path)
    script = generate(schema, dialect, records=False)
    text = script.text()
    target = sqlglot_dialect(dialect)
    out = [f"warning missing from the script: {w}" for w in script.warnings if w.splitlines()[0] not in text]
    statements, skipped = split_statements(text, dialect)
    if skipped and not any(UNKNOWN_TYPE.search(w) for w in script.warnings):
        # only a type the engine does not know (and the script warned about) may be unreadable
        out.extend(skipped)
    if skipped:
        return out or [SKIPPED]
    out.extend(f"not understood: {s.sql(target)[:80]}" for s in statements if isinstance(s, exp.Command))
    if len(statements) != len(script.statements):
        out.append(f"{len(script.statements)} statements written, {len(statements)} read back")
    expanded, refs = with_junction_tables(schema)
    created = {
        (s.this.this.db or None, s.this.this.name)
        for s in statements
        if isinstance(s, exp.Create) and (s.args.get("kind") or "").upper() == "TABLE"
    }
    wanted = {t.name for t in expanded.tables}
    if {name for _, name in created} != wanted:
        out.append(f"tables created {sorted(n for _, n in created)}, wanted {sorted(wanted)}")
    foreign_keys = sum(len(list(s.find_all(exp.ForeignKey))) for s in statements)
    refused = sum(1 for w in script.warnings if NO_FOREIGN_KEY.match(w))
    usable = sum(1 for r in refs if not r.many_to_many)
    if foreign_keys != usable - refused:
        out.append(f"{foreign_keys} foreign keys for {usable} relationships of which {refused} refused")
    return out


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", sample_inputs(), ids=case_id)
def test_samples(path, dialect: str) -> None:
    assert problems(path, dialect) == []  # the samples use only types every engine has


@pytest.mark.parametrize("dialect", DIALECTS)
def test_corpus(dialect: str, capsys) -> None:
    require_corpus()
    paths = corpus_inputs()
    found = {case_id(p): problems(p, dialect) for p in paths}
    whole = sum(1 for v in found.values() if not v)
    warned = sum(1 for v in found.values() if v == [SKIPPED])
    with capsys.disabled():
        print(f"\n{dialect}: {whole}/{len(paths)} outputs read back whole, {warned} use a type it lacks (warned)")
    assert {k: v for k, v in found.items() if v and v != [SKIPPED]} == {}
    assert whole >= len(paths) - 5


@pytest.mark.parametrize("dialect", ("mysql", "snowflake"))
def test_a_type_the_engine_cannot_create_is_named_as_such(tmp_path, dialect: str) -> None:
    path = tmp_path / "s.dbml"
    path.write_text("Table t {\n  id int [pk]\n  spot geo.point\n}\n")
    warning = generate(schema_of(path), dialect).warnings[0]
    assert "'geo.point' is not a known" in warning and "has no user-defined types" in warning
    (warning,) = generate(schema_of(path), "mssql").warnings
    assert "it must exist before this script runs" in warning
