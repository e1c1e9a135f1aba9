"""The "decompose to 3NF" fix: the tables it writes, and proof on SQLite that joining them gives back
exactly the original rows (and that their keys hold on data that satisfies the dependencies)."""

from __future__ import annotations

import random
import sqlite3

from sqlglot import exp

from dbdsl.model.schema import Table
from dbdsl.rules.registry import RULES

from .ddl import create_table
from .helpers import analyze, apply_one_fix, codes, errors

ENROLMENTS = """Table enrolments {
  student_id int
  course_id int
  student_name varchar(100) [not null]
  course_title varchar(100) [not null]
  department varchar(50) [not null]
  department_head varchar(100) [not null]
  grade char(2)

  indexes {
    (student_id, course_id) [pk]
  }
  dependencies {
    student_id -> student_name
    course_id -> course_title, department
    department -> department_head
  }
}
"""


def rows_for_enrolments(rng: random.Random) -> list[tuple]:
    heads = {f"dept{d}": f"head{d}" for d in range(4)}
    courses = {c: (f"course{c}", f"dept{rng.randrange(4)}") for c in range(12)}
    students = {s: f"student{s}" for s in range(40)}
    rows = set()
    for s in students:
        for c in rng.sample(sorted(courses), 4):
            title, dept = courses[c]
            rows.add((s, c, students[s], title, dept, heads[dept], rng.choice(["A", "B", "C", None])))
    return sorted(rows, key=repr)


def sql(e: exp.Expression) -> str:
    return e.sql(dialect="sqlite")


def lossless_on_sqlite(original: Table, decomposed: list[Table], rows: list[tuple]) -> None:
    db = sqlite3.connect(":memory:")
    db.execute(sql(create_table(original, "sqlite", name="source")))
    names = [c.name for c in original.columns]
    insert = exp.insert(
        exp.values([tuple(exp.Placeholder() for _ in names)]),
        exp.Table(this=exp.to_identifier("source", quoted=True)),
        columns=[exp.to_identifier(n, quoted=True) for n in names],
    )
    db.executemany(sql(insert).replace("?", "?"), rows)
    for table in decomposed:
        # the new table's keys must hold on data that satisfies the dependencies
        db.execute(sql(create_table(table, "sqlite")))
        cols = [exp.to_identifier(c.name, quoted=True) for c in table.columns]
        select = exp.select(*[exp.column(c.name, quoted=True) for c in table.columns]).distinct()
        select = select.from_(exp.Table(this=exp.to_identifier("source", quoted=True)))
        db.execute(sql(exp.insert(select, exp.Table(this=exp.to_identifier(table.name, quoted=True)), columns=cols)))
    # natural join of every part, in an order where each part shares columns with what came before
    remaining = list(decomposed)
    first = remaining.pop(0)
    joined_cols = {c.name for c in first.columns}
    query = exp.select(*[exp.column(n, table=None, quoted=True) for n in names]).from_(
        exp.Table(this=exp.to_identifier(first.name, quoted=True))
    )
    while remaining:
        part = next(t for t in remaining if joined_cols & {c.name for c in t.columns})
        remaining.remove(part)
        common = sorted(joined_cols & {c.name for c in part.columns})
        query = query.join(
            exp.Table(this=exp.to_identifier(part.name, quoted=True)),
            using=[exp.to_identifier(c, quoted=True) for c in common],
        )
        joined_cols |= {c.name for c in part.columns}
    assert joined_cols == set(names)
    back = sorted(db.execute(sql(query)).fetchall(), key=repr)
    assert back == rows


def decomposed_tables(text: str, original_name: str) -> tuple[list[Table], object]:
    analysis = analyze(text)
    assert [e for e in errors(text)] == [], text
    schema = analysis.schema
    return list(schema.tables), schema


def test_enrolments_decompose_into_four_tables_losslessly() -> None:
    assert {"N201", "N202"} <= set(codes(ENROLMENTS))
    fixed = apply_one_fix(ENROLMENTS, "N201")
    tables, schema = decomposed_tables(fixed, "enrolments")
    by_name = {t.name: t for t in tables}
    assert set(by_name) == {"enrolments", "students", "courses", "departments"}
    assert [c.name for c in by_name["enrolments"].columns] == ["student_id", "course_id", "grade"]
    assert by_name["enrolments"].primary_key == ("student_id", "course_id")
    assert by_name["students"].primary_key == ("student_id",)
    assert by_name["courses"].primary_key == ("course_id",)
    assert [c.name for c in by_name["courses"].columns] == ["course_id", "course_title", "department"]
    assert by_name["departments"].primary_key == ("department",)
    refs = {(r.fk_side.table, r.fk_side.columns, r.pk_side.table) for r in schema.refs}
    assert refs == {
        ("enrolments", ("student_id",), "students"),
        ("enrolments", ("course_id",), "courses"),
        ("courses", ("department",), "departments"),
    }
    assert not {"N201", "N202", "N203"} & set(codes(fixed))
    original = analyze(ENROLMENTS).schema.tables[0]
    lossless_on_sqlite(original, tables, rows_for_enrolments(random.Random(7)))


def test_transitive_dependency_example_is_lossless() -> None:
    bad = RULES["N202"].bad
    fixed = apply_one_fix(bad, "N202")
    tables, _schema = decomposed_tables(fixed, "customers")
    assert {t.name for t in tables} == {"customers", "zip_codes"}
    rng = random.Random(3)
    zips = {f"z{i:03}": (f"city{i % 7}", f"st{i % 3}") for i in range(30)}
    rows = []
    for i in range(300):
        z = rng.choice(sorted(zips))
        rows.append((i, f"name{i}", z, *zips[z]))
    original = analyze(bad).schema.tables[0]
    lossless_on_sqlite(original, tables, sorted(rows, key=repr))


def test_a_key_relation_is_added_when_no_dependency_group_holds_a_key() -> None:
    text = """Table r {
  a int
  b int
  c int
  indexes {
    (a, c) [pk]
  }
  dependencies {
    a -> b
  }
}
"""
    fixed = apply_one_fix(text, "N201")
    tables, _ = decomposed_tables(fixed, "r")
    by_name = {t.name: [c.name for c in t.columns] for t in tables}
    assert by_name == {"r": ["a", "c"], "as": ["a", "b"]}
    rows = sorted({(a, a % 5, c) for a in range(20) for c in range(3)}, key=repr)
    lossless_on_sqlite(analyze(text).schema.tables[0], tables, rows)


def test_no_fix_when_a_moved_column_is_indexed() -> None:
    text = """Table customers {
  id int [pk]
  zip_code varchar(10)
  city varchar(100)
  indexes {
    city
  }
  dependencies {
    zip_code -> city
  }
}
"""
    from .helpers import run

    found = [f for f in run(text) if f.code == "N202"]
    assert found and not found[0].fixes
