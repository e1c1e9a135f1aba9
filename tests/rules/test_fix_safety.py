"""Every fix is proven, on the samples, the DBML corpus and the real-world schemas: applied alone and all
together, the result parses with no error and is already in the formatter's layout; a safe fix never
changes what data the schema accepts or keeps (its tables, columns, keys, checks and relationships are
the same, only indexes, notes and declared dependencies may differ), and the PostgreSQL catalog that
`dbdsl sql` builds is the same before and after the safe fixes, apart from indexes.
"""

from __future__ import annotations

import csv
import functools

import psycopg
import pytest

from dbdsl.emit.sql import generate
from dbdsl.findings import apply_edits
from dbdsl.format import format_text
from dbdsl.model.schema import Schema
from dbdsl.rules import LintConfig, lint
from dbdsl.rules.fixall import fix_file
from dbdsl.workspace import Workspace
from tests.catalogs import read_postgres
from tests.ecosystem import realworld
from tests.helpers import CORPUS, SAMPLES, require_corpus

ALL = LintConfig(select=("ALL",))


@functools.cache
def inputs() -> tuple[tuple[str, str], ...]:
    """(name, text in the formatter's layout) of every valid input: samples, corpus, real-world schemas."""
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.dbml"))]
    require_corpus()
    with open(CORPUS / "manifest.tsv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    paths = sorted({CORPUS / r["input"] for r in rows if r["input"].endswith(".dbml")})
    texts += [(p.name, p.read_text(encoding="utf-8")) for p in paths]
    if realworld.available():
        for source in realworld.sources():
            path = realworld.dbml_of(source)
            texts.append((source.file, path.read_text(encoding="utf-8")))
    out = []
    for name, text in texts:
        analysis = _analyze(f"/virtual/safety/{name}", text)
        if any(f.code.startswith("E") for f in analysis.findings):
            continue  # the corpus's invalid inputs: nothing to fix
        out.append((name, format_text(text)))
    return tuple(out)


def _analyze(path: str, text: str):
    ws = Workspace()
    ws.open(path, text)
    return ws.analyze(path)


def shape(schema: Schema) -> tuple:
    """What data a schema accepts and keeps: tables, columns (type, nullability, default, identity),
    keys, unique constraints and unique indexes, checks, relationships with their actions, enums and
    records. Plain indexes, notes, dependencies and design facts are left out."""
    tables = []
    for t in sorted(schema.tables, key=lambda t: t.key):
        columns = tuple(
            (c.name, c.type.text, c.nullable, c.default, c.increment, tuple(k.expression for k in c.checks))
            for c in t.columns
        )
        unique = {(c.name,) for c in t.columns if c.unique}
        unique |= {(tuple((k.kind, k.value) for k in i.keys), i.where) for i in t.indexes if i.unique and not i.pk}
        checks = tuple(sorted(c.expression for c in t.checks))
        tables.append((t.key, columns, t.primary_key, tuple(sorted(map(str, unique))), checks, t.records))
    refs = sorted(
        (r.fk_side.table_key, r.fk_side.columns, r.pk_side.table_key, r.pk_side.columns, r.on_delete, r.on_update)
        for r in schema.refs
        if r.op != "<>"
    )
    enums = sorted((e.key, tuple(v.name for v in e.values)) for e in schema.enums)
    return tuple(tables), tuple(refs), tuple(enums)


def test_every_fix_alone_leaves_a_valid_formatted_file_and_safe_ones_keep_the_data_shape() -> None:
    checked = safe = 0
    for name, text in inputs():
        path = f"/virtual/safety/{name}"
        ws = Workspace()
        ws.open(path, text)
        before = ws.analyze(path)
        before_shape = shape(before.schema)
        # the edits are read before the workspace sees another text: they are offsets into this one
        fixes = [(finding, fix, fix.edits) for finding in lint(before, ALL) for fix in finding.fixes]
        for finding, fix, edits in fixes:
            fixed = apply_edits(text, list(edits))
            ws.open(path, fixed)
            after = ws.analyze(path)
            errors = [(e.code, e.message) for e in after.findings if e.code.startswith("E")]
            assert errors == [], (name, finding.code, fix.title, errors)
            assert format_text(fixed) == fixed, (name, finding.code, fix.title)
            if fix.safe:
                safe += 1
                assert shape(after.schema) == before_shape, (name, finding.code, fix.title)
            checked += 1
    assert checked > 300 and safe > 100, (checked, safe)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "all"])
def test_all_fixes_together_leave_a_valid_formatted_file(unsafe: bool) -> None:
    for name, text in inputs():
        result = fix_file(f"/virtual/together/{name}", text, ALL, unsafe=unsafe)
        analysis = _analyze(f"/virtual/together-check/{name}", result.text)
        errors = [(e.code, e.message) for e in analysis.findings if e.code.startswith("E")]
        assert errors == [], (name, errors, result.applied[-5:])
        assert format_text(result.text) == result.text, name
        if not unsafe:
            before = _analyze(f"/virtual/together-before/{name}", text)
            assert shape(analysis.schema) == shape(before.schema), name


@pytest.mark.postgres
def test_safe_fixes_leave_the_postgres_catalog_as_it_was_apart_from_indexes(postgres) -> None:
    compared = 0
    for name, text in inputs():
        result = fix_file(f"/virtual/pg-safety/{name}", text, ALL)
        if result.text == text:
            continue
        try:
            before = _catalog(postgres, _analyze(f"/virtual/pg-before/{name}", text).schema)
        except psycopg.Error:
            continue  # DDL PostgreSQL refuses as designed (another engine's types): tests/engines covers it
        after = _catalog(postgres, _analyze(f"/virtual/pg-after/{name}", result.text).schema)
        assert after == before, name
        compared += 1
    assert compared > 10, compared


def _catalog(postgres, schema: Schema):
    """The catalog `dbdsl sql` builds on PostgreSQL, without plain indexes and the names of indexes."""
    script = generate(schema, "postgres")
    database = postgres.fresh_database()
    with postgres.connect(database) as conn:
        for statement in script.statements:
            conn.execute(statement.sql(dialect="postgres"))
        catalog = read_postgres(conn)
    out = {}
    for key, table in catalog.tables.items():
        columns = [(c.name, c.type, c.not_null, c.default, c.identity) for c in table.columns]
        constraints = sorted(
            (c.kind, c.columns, c.references, c.ref_columns, c.on_delete, c.on_update, c.definition)
            for c in table.constraints
        )
        unique = sorted((i.keys, i.definition.split(" USING ", 1)[-1]) for i in table.indexes if i.unique)
        out[key] = (columns, constraints, unique)
    return out, catalog.enums
