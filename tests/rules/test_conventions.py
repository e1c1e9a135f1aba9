"""A pattern the whole schema follows is reported once, with its count; a deviation from the schema's own
convention is reported where it is."""

from __future__ import annotations

from dbdsl.rules import LintConfig, lint

from .helpers import analyze


def tables(count: int, column: str) -> str:
    return "\n".join(f"Table t{i} {{\n  id int [pk]\n  {column}\n}}\n" for i in range(count))


def findings(text: str, code: str, project: str = "PostgreSQL") -> list:
    source = f"Project p {{\n  database_type: '{project}'\n}}\n" + text
    return [f for f in lint(analyze(source), LintConfig(select=(code,))) if f.code == code]


def test_timestamps_without_time_zone_everywhere_are_one_finding() -> None:
    found = findings(tables(5, "created_at timestamp [not null]"), "T104")
    assert len(found) == 1
    assert "5 timestamp columns in 5 tables are without time zone" in found[0].message
    assert found[0].severity.value == "info"


def test_a_timestamp_without_time_zone_among_zoned_ones_is_reported_where_it_is() -> None:
    text = tables(4, "created_at timestamptz [not null]") + "Table odd {\n  id int [pk]\n  seen timestamp\n}\n"
    found = findings(text, "T104")
    assert [f.message for f in found] == ["'seen' is a timestamp without time zone"]
    assert found[0].fixes and not found[0].fixes[0].safe


def test_a_foreign_type_used_throughout_is_one_finding() -> None:
    found = findings(tables(4, "created_at datetime"), "T107")
    assert len(found) == 1 and "4 columns in 4 tables are datetime" in found[0].message


def test_an_engine_nobody_named_has_no_foreign_types() -> None:
    source = tables(1, "created_at datetime")
    assert [f for f in lint(analyze(source), LintConfig(select=("T107",))) if f.code == "T107"] == []


def test_mysql_timestamps_ending_in_2038_are_one_finding_for_the_schema() -> None:
    found = findings(tables(3, "updated_at timestamp"), "T112", project="MySQL")
    assert len(found) == 1 and "MySQL timestamp (it ends in 2038)" in found[0].message


def test_a_sentinel_date_convention_is_one_finding() -> None:
    found = findings(tables(3, "seen datetime [not null, default: '0001-01-01 00:00:00']"), "C113", project="MySQL")
    assert len(found) == 1 and "'0001-01-01' stands for \"none\" in 3 columns of 3 tables" in found[0].message


def test_foreign_keys_that_default_to_zero_throughout_say_why_the_default_fails() -> None:
    """0 in a declared foreign key is no stand-in for "none" (the key refuses it): the default is what fails."""
    text = "Table users {\n  id int [pk]\n}\n" + tables(4, "user_id int [not null, default: 0, ref: > users.id]")
    found = findings(text, "C113")
    assert len(found) == 1
    assert "4 foreign key columns of 4 tables default to 0" in found[0].message
    assert "stands for" not in found[0].message
