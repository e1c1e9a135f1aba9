"""`dbdsl check` with the linter: selection, dialect, configuration, --fix, --diff, exit statuses;
and `dbdsl rules`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from dbdsl.cli.rules import markdown
from tests.helpers import REPO, SAMPLES, run_cli

DRAFT = """Table customer {
  id int [pk]
  email varchar(255) [not null]
  password_hash varchar(100)
  created_at timestamp
}

Table orders {
  id int [pk]
  customer_id int [ref: > customer.id]
}
"""


def write(tmp_path: Path, text: str = DRAFT, name: str = "draft.dbml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_warnings_are_reported_but_do_not_fail(tmp_path: Path) -> None:
    done = run_cli("check", str(write(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert ":3:3: warning C109 'email' identifies a row of 'customer'" in done.stdout
    assert ":5:14: warning T104 'created_at' is a timestamp without time zone" in done.stdout
    assert ":10:20: warning I101 [*] foreign key orders.customer_id has no index" in done.stdout
    assert "Found 3 warnings in 1 file." in done.stdout
    assert "[*] 1 fixable with `dbdsl check --fix`" in done.stdout
    assert "2 more fixes are unsafe" in done.stdout and "--unsafe-fixes" in done.stdout
    unsafe = run_cli("check", "--unsafe-fixes", str(write(tmp_path)))
    assert "[*] 3 fixable with `dbdsl check --fix --unsafe-fixes`" in unsafe.stdout


def test_fail_on_warning_and_exit_zero(tmp_path: Path) -> None:
    path = write(tmp_path)
    assert run_cli("check", "--fail-on", "warning", str(path)).returncode == 1
    assert run_cli("check", "--fail-on", "warning", "--exit-zero", str(path)).returncode == 0
    (tmp_path / "dbdsl.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert run_cli("check", str(path)).returncode == 1
    assert run_cli("check", "--isolated", str(path)).returncode == 0


def test_lint_errors_fail(tmp_path: Path) -> None:
    text = DRAFT + "Table t {\n  id int [pk]\n  c int [ref: > customer.email]\n}\n"
    done = run_cli("check", str(write(tmp_path, text)))
    assert done.returncode == 1 and "C104" in done.stdout


def test_select_ignore_and_no_lint(tmp_path: Path) -> None:
    path = write(tmp_path)
    only = run_cli("check", "--select", "T", str(path))
    assert "T104" in only.stdout and "C109" not in only.stdout
    ignored = run_cli("check", "--ignore", "t104", str(path))
    assert "T104" not in ignored.stdout and "C109" in ignored.stdout
    none = run_cli("check", "--no-lint", str(path))
    assert none.stdout.strip() == "All checks passed (1 file)."


def test_dialect_option_applies_when_the_project_does_not_say(tmp_path: Path) -> None:
    path = write(tmp_path, DRAFT.replace("varchar(255)", "varchar"))
    assert "T102" not in run_cli("check", str(path)).stdout
    assert "T102" in run_cli("check", "--dialect", "mysql", str(path)).stdout


def test_configuration_problems_are_usage_errors(tmp_path: Path) -> None:
    path = write(tmp_path)
    done = run_cli("check", "--select", "X1", str(path))
    assert done.returncode == 2 and "unknown rule code or prefix 'X1'" in done.stderr
    (tmp_path / "dbdsl.toml").write_text("select = [", encoding="utf-8")
    done = run_cli("check", str(path))
    assert done.returncode == 2 and "not valid TOML" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("check", "--config", str(tmp_path / "none.toml"), str(path))
    assert done.returncode == 2


def test_explicit_config_file(tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "pyproject.toml").write_text('[tool.dbdsl]\nignore = ["C"]\n', encoding="utf-8")
    path = write(tmp_path)
    assert "C109" in run_cli("check", str(path)).stdout
    done = run_cli("check", "--config", str(conf / "pyproject.toml"), str(path))
    assert "C109" not in done.stdout and "T104" in done.stdout


def test_diff_shows_fixes_and_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path)
    done = run_cli("check", "--diff", str(path))
    assert done.returncode == 1
    assert f"--- {path}\n+++ {path}\n" in done.stdout
    assert "+  indexes {\n+    customer_id\n+  }\n" in done.stdout
    assert "unique" not in done.stdout and "timestamptz" not in done.stdout  # unsafe fixes wait for the option
    assert "Would fix 1 finding." in done.stderr
    unsafe = run_cli("check", "--diff", "--unsafe-fixes", str(path))
    assert "-  email varchar(255) [not null]\n" in unsafe.stdout
    assert "+  email varchar(255) [not null, unique]\n" in unsafe.stdout
    assert "+  created_at timestamptz" in unsafe.stdout
    assert "Would fix 3 findings." in unsafe.stderr
    assert path.read_text(encoding="utf-8") == DRAFT
    clean = run_cli("check", "--diff", str(SAMPLES / "blog.dbml"))
    assert clean.returncode == 0 and clean.stdout == "" and "No fixes available." in clean.stderr


def test_fix_applies_safe_fixes_and_unsafe_ones_only_when_asked(tmp_path: Path) -> None:
    path = write(tmp_path, DRAFT + "\nTable t {\n  name varchar(10)\n}\n")
    done = run_cli("check", "--fix", str(path))
    assert done.returncode == 0
    fixed = path.read_text(encoding="utf-8")
    assert "  indexes {\n    customer_id\n  }" in fixed
    assert "email varchar(255) [not null]\n" in fixed and "created_at timestamp\n" in fixed
    assert "Fixed 1 finding in 1 file." in done.stderr
    assert "C109" in done.stdout and "T104" in done.stdout and "C101" in done.stdout
    done = run_cli("check", "--fix", "--unsafe-fixes", str(path))
    fixed = path.read_text(encoding="utf-8")
    assert "email varchar(255) [not null, unique]" in fixed and "created_at timestamptz" in fixed
    assert re.search(r"id +bigint \[pk, increment\]", fixed)  # the file stays in the formatter's layout
    assert "Fixed 3 findings in 1 file." in done.stderr
    assert "All checks passed" in done.stdout


def test_fix_skips_files_with_syntax_errors(tmp_path: Path) -> None:
    text = DRAFT + "Table broken {\n  id int [pk,]\n}\n"
    path = write(tmp_path, text)
    done = run_cli("check", "--fix", str(path))
    assert done.returncode == 1 and path.read_text(encoding="utf-8") == text


def test_json_output_keeps_its_keys_with_lint_findings(tmp_path: Path) -> None:
    done = run_cli("check", "--format", "json", str(write(tmp_path)))
    items = json.loads(done.stdout)
    assert {i["code"] for i in items} == {"C109", "T104", "I101"}
    assert {i["category"] for i in items} == {"constraint", "type", "index"}
    assert all(i["severity"] == "warning" for i in items)


def test_rules_lists_every_rule_and_error_code() -> None:
    done = run_cli("rules")
    assert done.returncode == 0
    from dbdsl.codes import all_codes
    from dbdsl.rules import registry  # noqa: F401  (registers the linter's rules)

    for code in [c.code for c in all_codes()]:
        assert f"  {code}  " in done.stdout, code


def test_rules_explains_codes_and_prefixes() -> None:
    done = run_cli("rules", "I101", "e1")
    assert done.returncode == 0
    assert done.stdout.startswith("I101 foreign-key-without-index (index, warning, safe fix)")
    assert "E101: Unknown table" in done.stdout and "Bad:" in done.stdout
    listing = json.loads(run_cli("rules", "--format", "json", "N2").stdout)
    assert [r["code"] for r in listing] == ["N201", "N202", "N203", "N204", "N205", "N206"]
    assert run_cli("rules", "Z9").returncode == 2


def test_docs_rules_page_is_up_to_date() -> None:
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == markdown(), "docs/rules.md is stale: run `python -m dbdsl rules --format markdown > docs/rules.md`"
