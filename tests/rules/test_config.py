"""Configuration: selection like ruff, severities, per-file ignores, dialect, and finding the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from dbdsl.dialects import resolve
from dbdsl.findings import Severity
from dbdsl.rules import ConfigError, LintConfig, find_config, lint
from dbdsl.rules.config import load_config
from dbdsl.rules.registry import CONFIGURABLE, RULES
from dbdsl.workspace import Workspace

from .helpers import analyze

FLAWED = """Table customer {
  id int
  email varchar(255) [not null]
  password_hash varchar(100)
  created_at timestamp
}
"""


def test_default_selection_is_every_rule_on_by_default() -> None:
    config = LintConfig()
    assert config.enabled_codes() == frozenset(c for c, r in CONFIGURABLE.items() if r.enabled)
    assert {c for c in config.enabled_codes() if c not in RULES} == {c for c in CONFIGURABLE if c[0] == "M"}


def test_most_specific_selector_wins_and_ignore_beats_select_at_equal_specificity() -> None:
    config = LintConfig(select=("C", "T104"), ignore=("C1", "C109"))
    codes = config.enabled_codes()
    assert "T104" in codes and "T101" not in codes
    assert "C101" not in codes  # C1 (2 chars) beats C (1 char)
    config = LintConfig(select=("C", "C109"), ignore=("C1",))
    assert "C109" in config.enabled_codes() and "C101" not in config.enabled_codes()
    assert "N101" in LintConfig(select=("ALL",)).enabled_codes()
    assert LintConfig(select=("ALL",), ignore=("ALL",)).enabled_codes() == frozenset()


def test_extend_select_adds_to_the_default() -> None:
    config = LintConfig(ignore=("S",), extend_select=("S101",))
    codes = config.enabled_codes()
    assert "S101" in codes and "S102" not in codes and "C101" in codes


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"select": ("X9",)}, "unknown rule code or prefix 'X9'"),
        ({"ignore": ("E101",)}, "E codes"),
        ({"dialect": "db2"}, "unknown dialect 'db2'"),
        ({"fail_on": "sometimes"}, "fail-on must be one of"),
        ({"severity": (("Q9", Severity.ERROR),)}, "unknown rule code"),
    ],
)
def test_invalid_configuration_is_an_error(kwargs: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        LintConfig(**kwargs)


def test_severity_overrides_by_code_and_prefix() -> None:
    config = LintConfig(severity=(("T", Severity.INFO), ("T104", Severity.ERROR)))
    found = {f.code: f.severity for f in lint(analyze(FLAWED), config)}
    assert found["T104"] is Severity.ERROR
    assert found["C101"] is Severity.WARNING
    config = LintConfig(severity=(("C", Severity.INFO),))
    assert all(f.severity is Severity.INFO for f in lint(analyze(FLAWED), config) if f.code.startswith("C"))


def test_per_file_ignores(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    old = legacy / "old.dbml"
    new = tmp_path / "new.dbml"
    for p in (old, new):
        p.write_text(FLAWED, encoding="utf-8")
    (tmp_path / "dbdsl.toml").write_text('[per-file-ignores]\n"legacy/*.dbml" = ["C", "T104"]\n', encoding="utf-8")
    ws = Workspace()
    config_old = find_config(str(old))
    old_codes = {f.code for f in lint(ws.analyze(str(old)), config_old)}
    new_codes = {f.code for f in lint(ws.analyze(str(new)), find_config(str(new)))}
    assert not any(c.startswith("C") for c in old_codes) and "T104" not in old_codes
    assert {"C101", "C109", "T104"} <= new_codes


def test_find_config_walks_up_and_prefers_dbdsl_toml(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    schema = deep / "s.dbml"
    schema.write_text(FLAWED, encoding="utf-8")
    assert find_config(str(schema)) == LintConfig()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config(str(schema)).source is None  # no [tool.dbdsl]: keep looking, find nothing
    (tmp_path / "pyproject.toml").write_text(
        '[tool.dbdsl]\ndialect = "mysql"\nignore = ["S"]\n\n[tool.dbdsl.severity]\nT104 = "error"\n', encoding="utf-8"
    )
    config = find_config(str(schema))
    assert config.source == str(tmp_path / "pyproject.toml")
    assert config.dialect == "mysql" and config.ignore == ("S",)
    assert config.severity == (("T104", Severity.ERROR),)
    (tmp_path / "a" / "dbdsl.toml").write_text('[lint]\nselect = ["C"]\nfail-on = "warning"\n', encoding="utf-8")
    config = find_config(str(schema))
    assert config.source == str(tmp_path / "a" / "dbdsl.toml")
    assert config.select == ("C",) and config.fail_on == "warning" and config.dialect is None


def test_broken_configuration_files_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "dbdsl.toml"
    bad.write_text("select = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        find_config(str(tmp_path / "x.dbml"))
    bad.write_text('select = "C"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a list"):
        find_config(str(tmp_path / "x.dbml"))
    bad.write_text("[lint]\nselct = []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown lint setting 'selct'"):
        find_config(str(tmp_path / "x.dbml"))
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(str(tmp_path / "absent.toml"))


def test_merged_overrides() -> None:
    base = LintConfig(select=("C",), ignore=("C109",), dialect="mysql")
    merged = base.merged(select=["T"], ignore=["T104"], dialect="sqlite", severity={"T101": "error"})
    assert merged.select == ("T",) and merged.ignore == ("C109", "T104") and merged.dialect == "sqlite"
    assert merged.severity_of("T101", Severity.WARNING) is Severity.ERROR
    assert base.merged() == base


def test_dialect_comes_from_the_project_then_the_configuration() -> None:
    plain = analyze(FLAWED).schema
    assert resolve(schema=plain) == "postgres"
    assert resolve(schema=plain, setting=LintConfig(dialect="mssql").dialect) == "mssql"
    mysql = analyze("Project p {\n  database_type: 'MySQL'\n}\n" + FLAWED).schema
    assert resolve(schema=mysql, setting="mssql") == "mysql"
    assert resolve("sqlite", mysql, "mssql") == "sqlite"  # an explicit choice comes first
    for written, ours in [
        ("SQL Server", "mssql"),
        ("sqlite", "sqlite"),
        ("Oracle", "oracle"),
        ("snowflake", "snowflake"),
    ]:
        schema = analyze(f"Project p {{\n  database_type: '{written}'\n}}\n" + FLAWED).schema
        assert resolve(schema=schema) == ours


def test_dialect_decides_the_engine_rules() -> None:
    text = FLAWED.replace("varchar(255)", "varchar")
    assert "T102" not in {f.code for f in lint(analyze(text), LintConfig())}
    assert "T102" in {f.code for f in lint(analyze(text), LintConfig(dialect="mysql"))}
    assert "T104" not in {f.code for f in lint(analyze(text), LintConfig(dialect="mysql"))}
