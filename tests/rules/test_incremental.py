"""Re-linting after edits gives exactly what linting the new text from scratch gives, and only what
an edit can affect runs again."""

from __future__ import annotations

import random

import pytest

from dbdsl.rules import LintConfig, lint
from dbdsl.rules import engine as engine_module
from dbdsl.rules.registry import RULES
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES, record_lint_runs

ALL = LintConfig(select=("ALL",))

# edits that change what rules see: types, keys, refs, indexes, queries, names
EDITS = [
    ("int [pk, increment]", "bigint [pk, increment]"),
    ("varchar(320)", "varchar"),
    ("timestamptz", "timestamp"),
    ("[not null, unique]", "[not null]"),
    ("indexes {", "indexes {\n    id"),
    ("ref: > ", "note: 'x', ref: > "),
    ("decimal(12,2)", "float"),
    ("customer_id = :customer_id", "customer_id = :customer_id AND o.status = 'paid'"),
    ("Table ", "Table x_"),
    ("[pk]", ""),
    ("valid_to", "valid_until"),
    ("\n}\n", "\n  phone1 varchar(20)\n  phone2 varchar(20)\n}\n"),
]


def fingerprint(findings) -> list[tuple]:
    out = []
    for f in findings:
        fixes = tuple((fx.title, tuple((e.start, e.end, e.new_text) for e in fx.edits)) for fx in f.fixes)
        out.append((f.code, f.severity.value, f.message, f.span.start_offset, f.span.end_offset, fixes))
    return sorted(out)


def fresh(path: str, text: str) -> list[tuple]:
    ws = Workspace()
    ws.open(path, text)
    return fingerprint(lint(ws.analyze(path), ALL))


@pytest.mark.parametrize("sample", ["ecommerce", "saas", "blog", "flawed"])
def test_random_edits_relint_like_a_fresh_lint(sample: str) -> None:
    rng = random.Random(sample)
    text = (SAMPLES / f"{sample}.dbml").read_text(encoding="utf-8")
    path = f"/virtual/incremental_{sample}.dbml"
    ws = Workspace()
    source = ws.open(path, text)
    assert fingerprint(lint(ws.analyze(path), ALL)) == fresh(path, text)
    for _ in range(40):
        old, new = rng.choice(EDITS)
        if rng.random() < 0.5:
            old, new = new, old
        spots = [i for i in range(len(source.text)) if source.text.startswith(old, i)] if old else []
        if not spots:
            continue
        at = rng.choice(spots)
        source.apply_edit(at, at + len(old), new)
        incremental = fingerprint(lint(ws.analyze(path), ALL))
        assert incremental == fresh(path, source.text), source.text


def test_an_edit_to_one_table_reruns_only_what_it_can_affect(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (SAMPLES / "ecommerce.dbml").read_text(encoding="utf-8")
    path = "/virtual/incremental_counts.dbml"
    ws = Workspace()
    source = ws.open(path, text)
    lint(ws.analyze(path), ALL)
    runs = record_lint_runs(monkeypatch)
    lint(ws.analyze(path), ALL)
    assert runs == []  # nothing changed: everything comes from the cache
    at = source.text.index("Table warehouses {") + len("Table warehouses {")
    source.apply_edit(at, at, "\n  region varchar(40)")
    lint(ws.analyze(path), ALL)
    table_runs = {e[0].name for e in runs if len(e) == 1 and hasattr(e[0], "columns")}
    ref_runs = {(e[1].name, e[2].name) for e in runs if len(e) == 3}
    assert table_runs == {"warehouses"}
    assert ref_runs and all("warehouses" in pair for pair in ref_runs)
    query_runs = [e for e in runs if len(e) == 2]
    assert query_runs == []  # no query names warehouses


def test_only_findings_of_the_linted_file_are_reported(tmp_path) -> None:
    base = tmp_path / "base.dbml"
    base.write_text(
        "Table customers {\n  id int [pk]\n  email varchar(320)\n  password_hash text\n  created_at timestamp\n}\n"
    )
    main = tmp_path / "main.dbml"
    main.write_text(
        "use * from './base'\n\nTable orders {\n  id int [pk]\n  customer_id bigint [ref: > customers.id]\n}\n",
        encoding="utf-8",
    )
    ws = Workspace()
    found = lint(ws.analyze(str(main)), ALL)
    assert {f.span.file for f in found} == {str(main)}
    assert {f.code for f in found} == {"C103", "I101", "S120"}
    assert {f.code for f in lint(ws.analyze(str(base)), ALL)} == {"C109", "T104", "S120"}


def test_relationships_declared_apart_from_their_tables_relint_like_a_fresh_lint() -> None:
    """A `Ref:` line outside a table changes what rules of both tables see while neither table changes:
    the cached results of those tables (and the schema-wide conventions) must follow."""
    tables = "\n".join(
        f"Table t{i} {{\n  id bigint [pk]\n  customer_id bigint [not null, default: 0]\n  note text\n}}\n"
        for i in range(6)
    )
    text = "Table customer {\n  id bigint [pk]\n  name text\n}\n" + tables
    path = "/virtual/incremental_apart.dbml"
    ws = Workspace()
    source = ws.open(path, text)
    assert fingerprint(lint(ws.analyze(path), ALL)) == fresh(path, text)
    lines = [f"Ref: t{i}.customer_id > customer.id\n" for i in range(6)]
    for line in lines:  # declare them one at a time, then take them back in another order
        source.apply_edit(len(source.text), len(source.text), line)
        assert fingerprint(lint(ws.analyze(path), ALL)) == fresh(path, source.text), source.text
    for line in reversed(lines[::2]):
        at = source.text.index(line)
        source.apply_edit(at, at + len(line), "")
        assert fingerprint(lint(ws.analyze(path), ALL)) == fresh(path, source.text), source.text


def test_a_foreign_key_that_changes_a_tables_roles_relints_like_a_fresh_lint() -> None:
    """Cached results follow a table's roles, not the foreign keys they are inferred from: a relationship
    declared apart makes `tiers` referenced data (a lookup table: C114 then asks for a unique name)
    while the table itself does not change; taking the relationship back must take the finding back."""
    text = (
        "Table tiers {\n  id int [pk]\n  name varchar(100)\n}\n"
        "Table members {\n  id int [pk]\n  tier_id int [not null]\n  indexes {\n    tier_id\n  }\n}\n"
    )
    path = "/virtual/incremental_roles.dbml"
    ws = Workspace()
    source = ws.open(path, text)
    assert fingerprint(lint(ws.analyze(path), ALL)) == fresh(path, text)
    ref = "Ref: members.tier_id > tiers.id\n"
    source.apply_edit(len(source.text), len(source.text), ref)
    found = fingerprint(lint(ws.analyze(path), ALL))
    assert found == fresh(path, source.text)
    assert "C114" in {f[0] for f in found}
    at = source.text.index(ref)
    source.apply_edit(at, at + len(ref), "")
    found = fingerprint(lint(ws.analyze(path), ALL))
    assert found == fresh(path, source.text)
    assert "C114" not in {f[0] for f in found}


def test_on_an_unchanged_table_only_the_rules_that_read_what_changed_run_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A relationship declared apart changes what `members` references, not `members` itself: of its
    table rules, only those that read its relationships run again (C112 among them), the others keep
    their results."""
    text = (
        "Table tiers {\n  id int [pk]\n  name varchar(100)\n}\n"
        "Table members {\n  id int [pk]\n  tier_id int [not null]\n  email varchar(320)\n"
        "  created_at timestamp\n  indexes {\n    tier_id\n  }\n}\n"
    )
    path = "/virtual/incremental_rules.dbml"
    ws = Workspace()
    source = ws.open(path, text)
    lint(ws.analyze(path), ALL)
    rerun: list[str] = []
    real = engine_module._hits

    def counting(rule, ctx, *element):
        if getattr(element[0], "name", None) == "members" and hasattr(element[0], "columns"):
            rerun.append(rule.code)
        return real(rule, ctx, *element)

    monkeypatch.setattr(engine_module, "_hits", counting)
    source.apply_edit(len(source.text), len(source.text), "Ref: members.tier_id > tiers.id\n")
    found = fingerprint(lint(ws.analyze(path), ALL))
    monkeypatch.undo()  # the fresh lint below runs every rule
    assert found == fresh(path, source.text)
    table_rules = [code for code, r in RULES.items() if r.scope == "table" and r.check is not None]
    assert "C112" in rerun
    assert 0 < len(rerun) < len(table_rules) / 4, rerun


def test_an_edit_to_the_project_alone_relints_like_a_fresh_lint() -> None:
    """Whole-schema rules read the Project (its retention, its tenant key): an edit to the Project block
    alone, with every table and relationship unchanged, must re-run them."""
    text = (
        "Project shop {\n  database_type: 'PostgreSQL'\n  retention: 'sessions 30 days'\n}\n"
        "Table audit_log {\n  id bigint [pk]\n  happened_at timestamptz [not null]\n}\n"
    )
    path = "/virtual/incremental_project.dbml"
    ws = Workspace()
    source = ws.open(path, text)
    first = fingerprint(lint(ws.analyze(path), ALL))
    assert first == fresh(path, text)
    assert "C124" in {f[0] for f in first}  # 'sessions' names no table
    at = source.text.index("sessions 30 days")
    source.apply_edit(at, at + len("sessions 30 days"), "audit_log 7 years by happened_at")
    found = fingerprint(lint(ws.analyze(path), ALL))
    assert found == fresh(path, source.text)
    assert "C124" not in {f[0] for f in found}
