"""What `dbdsl check` tells people and programs: severities in the text, counts that agree between
check and --fix, SARIF 2.1.0 checked against its published schema, GitHub annotations, and one way of
naming a file that is not there."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, SAMPLES, run_cli

SARIF_SCHEMA = REPO / "tests/cli/sarif/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"
BROKEN = "Table t {\n  id int [pk]\n  id int\n}\nTable u {\n  t_id int [ref: > t.nope]\n}\nTable t {\n  x int\n}\n"


def copy_sample(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copy(SAMPLES / f"{name}.dbml", tmp_path / f"{name}.dbml"))


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("no schema here")
    done = run_cli("check", ".", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "dbdsl: .: no .dbml or .dbdsl files in this folder\n"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "missing.dbml"],
        ["fmt", "missing.dbml"],
        ["sql", "missing.dbml", "--dialect", "postgres"],
        ["erd", "missing.dbml", "-o", "x.mmd"],
        ["doc", "missing.dbml"],
        ["import", "missing.dbml", "--dialect", "postgres"],
        ["migrate", "plan", "--to", "missing.dbml", "--dialect", "postgres"],
    ],
    ids=lambda a: a[0] if a[0] != "migrate" else "migrate-plan",
)
def test_a_missing_file_is_named_one_way(tmp_path: Path, args: list[str]) -> None:
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "dbdsl: missing.dbml: no such file or directory\n"


def test_text_shows_severities_and_counts_that_agree_with_fix(tmp_path: Path) -> None:
    path = copy_sample(tmp_path, "flawed")
    done = run_cli("check", path.name, cwd=tmp_path)
    lines = done.stdout.splitlines()
    findings = [line for line in lines if line.startswith("flawed.dbml:")]
    assert findings and all(re.match(r"flawed\.dbml:\d+:\d+: (error|warning|info) [A-Z]\d{3} ", f) for f in findings)
    counts = re.search(r"Found (\d+) warnings, (\d+) infos in 1 file\.", done.stdout)
    assert counts and int(counts[1]) == sum(" warning " in f for f in findings)
    assert int(counts[2]) == sum(" info " in f for f in findings)
    fixable = int(re.search(r"\[\*\] (\d+) fixable", done.stdout)[1])
    assert fixable == sum("[*]" in f for f in findings)
    diff = run_cli("check", "--diff", path.name, cwd=tmp_path)
    assert f"Would fix {fixable} findings." in diff.stderr
    fixed = run_cli("check", "--fix", path.name, cwd=tmp_path)
    assert f"Fixed {fixable} findings in 1 file." in fixed.stderr


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.dbml")))
def test_fixes_leave_no_double_blank_lines(tmp_path: Path, name: str) -> None:
    path = copy_sample(tmp_path, name)
    run_cli("check", "--fix", path.name, cwd=tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "\n\n\n" not in text and not re.search(r"\n[ \t]*\n[ \t]*}", text)


def test_samples_are_formatted() -> None:
    done = run_cli("fmt", "--check", "samples")
    assert done.returncode == 0, done.stdout + done.stderr


def sarif_of(tmp_path: Path, *names: str) -> dict:
    done = run_cli("check", "--format", "sarif", *names, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_sarif_is_valid_and_says_what_check_says(tmp_path: Path) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("the SARIF schema is not installed: npm ci --prefix tests/cli/sarif (scripts/setup --test does)")
    import jsonschema

    copy_sample(tmp_path, "flawed")
    (tmp_path / "broken.dbml").write_text(BROKEN, encoding="utf-8")
    log = sarif_of(tmp_path, "flawed.dbml", "broken.dbml")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, errors[0]
    [run] = log["runs"]
    listed = json.loads(run_cli("check", "--format", "json", "flawed.dbml", "broken.dbml", cwd=tmp_path).stdout)
    assert len(run["results"]) == len(listed)
    rules = run["tool"]["driver"]["rules"]
    for result, finding in zip(run["results"], listed):
        assert result["ruleId"] == finding["code"] == rules[result["ruleIndex"]]["id"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding["severity"]]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": finding["file"], "uriBaseId": "%SRCROOT%"}
        assert location["region"]["startLine"] == finding["line"]
        assert location["region"]["startColumn"] == finding["column"]
    duplicate = next(r for r in run["results"] if r["ruleId"] == "E105")  # the second table t
    assert duplicate["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 1
    c109 = next(r for r in rules if r["id"] == "C109")
    assert c109["defaultConfiguration"]["level"] == "warning" and c109["fullDescription"]["text"]


def test_sarif_of_a_clean_file_has_no_results(tmp_path: Path) -> None:
    (tmp_path / "ok.dbml").write_text("Table t {\n  id int [pk]\n}\n", encoding="utf-8")
    [run] = sarif_of(tmp_path, "ok.dbml", "--isolated")["runs"]
    assert run["results"] == [] and run["tool"]["driver"]["name"] == "dbdsl"


def test_github_annotations(tmp_path: Path) -> None:
    (tmp_path / "broken.dbml").write_text(BROKEN, encoding="utf-8")
    done = run_cli("check", "--format", "github", "--isolated", "broken.dbml", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    listed = json.loads(run_cli("check", "--format", "json", "--isolated", "broken.dbml", cwd=tmp_path).stdout)
    assert len(lines) == len(listed)
    first = re.fullmatch(
        r"::(error|warning|notice) title=dbdsl \((\w+)\),file=([^,]+),line=(\d+),col=(\d+),"
        r"endLine=\d+,endColumn=\d+::(.*)",
        lines[0],
    )
    assert first, lines[0]
    level, code, file, line, col, message = first.groups()
    assert (level, code, file) == ("error", listed[0]["code"], "broken.dbml")
    assert (int(line), int(col)) == (listed[0]["line"], listed[0]["column"])
    assert message == f"broken.dbml:{line}:{col}: error {code} {listed[0]['message']}"
