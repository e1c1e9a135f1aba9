"""The M rules: each fires on its bad case, stays quiet on its good one, and knows its dialects."""

from __future__ import annotations

import pytest

from dbdsl.migrate.rules import RULES, all_rules
from tests.migrate.helpers import codes, migration

T = "Table t {\n  id int [pk]\n  a int\n%s}\n"
ENUM = "Enum mood {\n  happy\n  sad\n}\n"
EVENTS = "Table e%s {\n  id int\n  at date [not null]\n%s  indexes {\n    (id, at) [pk]\n  }\n}\n"
MONTHLY = " [partition_by: 'range (at), monthly']"


def t(extra: str = "") -> str:
    return T % extra


CASES = {
    # code: (old, new, options, good old, good new, good options)
    "M001": (t() + "Table gone {\n  id int [pk]\n}\n", t(), {}, t(), t(), {}),
    "M002": (t("  b int\n"), t(), {}, t(), t("  b int\n"), {}),
    "M003": (t(), t("  b int [not null]\n"), {}, t(), t("  b int [not null, default: 0]\n"), {}),
    "M004": (
        t(),
        t().replace("a int", "a int [not null]"),
        {},
        t(),
        t().replace("a int", "a int [not null]"),
        {"safe": True},
    ),
    "M005": (t(), t().replace("a int", "a bigint"), {}, t("  v varchar(10)\n"), t("  v varchar(20)\n"), {}),
    "M006": (
        t(),
        t().replace("a int", "a int [unique]"),
        {},
        t(),
        t().replace("a int", "a int [unique]"),
        {"safe": True},
    ),
    "M007": (t(), t("  indexes {\n    a\n  }\n"), {}, t(), t("  indexes {\n    a\n  }\n"), {"safe": True}),
    "M008": (t("  indexes {\n    a\n  }\n"), t(), {}, t("  indexes {\n    a\n  }\n"), t(), {"safe": True}),
    "M009": (
        t() + "Table u {\n  id int [pk]\n}\n",
        t() + "Table u {\n  id int [pk]\n}\nRef: t.a > u.id\n",
        {},
        t(),
        t() + "Table u {\n  id int [pk]\n  t_id int [ref: > t.id]\n}\n",  # on a new table: nothing to lock
        {},
    ),
    "M010": (
        t(),
        t().replace("a int", "a int [check: `a > 0`]"),
        {},
        t(),
        t().replace("a int", "a int [check: `a > 0`]"),
        {"safe": True},
    ),
    "M011": (t(), t().replace("Table t {", "Table u [renamed_from: 't'] {"), {}, t(), t(), {}),
    "M012": (t(), t().replace("a int", "b int [renamed_from: 'a']"), {}, t(), t(), {}),
    "M013": (
        ENUM + t("  m mood\n"),
        ENUM.replace("sad\n", "sad\n  calm\n") + t("  m mood\n"),
        {},
        ENUM + t("  m mood\n"),
        ENUM.replace("sad\n", "sad\n  calm\n") + t("  m mood\n"),
        {"safe": True},
    ),
    "M014": (
        ENUM + t("  m mood\n"),
        ENUM.replace("  sad\n", "") + t("  m mood\n"),
        {},
        ENUM + t("  m mood\n"),
        ENUM.replace("sad\n", "sad\n  calm\n") + t("  m mood\n"),
        {"safe": True},
    ),
    "M015": (
        ENUM + t("  m mood\n"),
        ENUM.replace("  sad\n", "  glum [renamed_from: 'sad']\n") + t("  m mood\n"),
        {},
        ENUM + t("  m mood\n"),
        ENUM + t("  m mood\n"),
        {},
    ),
    "M017": (
        t("  b int\n"),
        t("  c int\n"),
        {"allow_destructive": True},
        t("  b int\n"),
        t("  c int [renamed_from: 'b']\n"),
        {},
    ),
    "M018": (
        t(),
        t("  u uuid [default: `gen_random_uuid()`]\n"),
        {},
        t(),
        t("  u uuid [default: `gen_random_uuid()`]\n"),
        {"safe": True},
    ),
    "M022": (t(), t().replace("a int", "a smallint"), {}, t(), t().replace("a int", "a bigint"), {}),
    "M021": (
        EVENTS % ("", ""),
        EVENTS % (MONTHLY, ""),
        {},
        EVENTS % (MONTHLY, ""),
        EVENTS % (MONTHLY, "  b int\n"),
        {},
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires_on_bad_and_not_on_good(code: str) -> None:
    old, new, options, good_old, good_new, good_options = CASES[code]
    assert code in codes(old, new, **options)
    assert code not in codes(good_old, good_new, **good_options)


def test_sqlite_rebuild_rule() -> None:
    assert "M016" in codes(t(), t().replace("a int", "a bigint"), "sqlite")
    assert "M016" not in codes(t(), t("  b int\n"), "sqlite")


@pytest.mark.parametrize("code", ["M004", "M007", "M008", "M009", "M010", "M013", "M018"])
def test_postgres_only_rules_are_quiet_on_sqlite(code: str) -> None:
    old, new, options, *_ = CASES[code]
    assert code not in codes(old, new, "sqlite", **options)


def test_destructive_steps_are_refused_unless_allowed() -> None:
    old, new = t("  b int\n"), t()
    refused = migration(old, new).refused
    assert [w.code for w in refused] == ["M002"]
    assert "--allow-destructive" in refused[0].message
    assert migration(old, new, allow_destructive=True).refused == []
    # the rollback of an added column drops it: that is what a rollback is for, never refused
    assert migration(new, old).refused == []


def test_changes_on_a_new_table_need_no_lock_avoidance() -> None:
    new = (
        t()
        + "Table u {\n  id int [pk]\n  a int [unique, check: `a > 0`]\n  t_id int [ref: > t.id]\n"
        + "  indexes {\n    a\n  }\n}\n"
    )
    assert codes(t(), new) == []


def test_lint_names_the_element_and_the_alternative() -> None:
    (warning,) = migration(t(), t().replace("a int", "a int [not null]")).up_warnings
    assert warning.subject == "t.a"
    assert warning.span is not None and warning.span.text == "a"
    assert "NOT VALID" in warning.alternative
    text = migration(t(), t().replace("a int", "a int [not null]")).up_text()
    assert "-- M004 set-not-null:" in text and "--   zero-downtime:" in text


def test_every_rule_is_documented() -> None:
    assert [r.code for r in all_rules()] == sorted(RULES)
    for rule in all_rules():
        assert rule.code.startswith("M") and len(rule.code) == 4
        assert rule.summary and rule.rationale and rule.alternative and rule.bad and rule.good
        assert rule.category == "migration"
    assert set(CASES) | {"M016"} == set(RULES)
