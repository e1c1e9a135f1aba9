"""`dbdsl import` on the real dumps of ../shared/corpus/realworld: every table comes over, what does not is
listed, and what it writes passes `dbdsl check --no-lint`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ecosystem.realworld import REALWORLD, sources
from tests.helpers import require_shared, run_cli, shared_params

# tables the manifest counts that the import rightly folds into another: lago's DEFAULT partition of
# enriched_events becomes that table's `partition_by`
FOLDED = {"lago.postgres.sql": 1}


def dumps() -> list:
    found = [s for s in sources() if s.dialect != "dbml"] if (REALWORLD / "manifest.tsv").is_file() else []
    return shared_params(found, REALWORLD)


@pytest.mark.parametrize("source", dumps(), ids=lambda s: s.file)
def test_realworld_dump_imports_whole_and_checks_clean(tmp_path: Path, source, capsys) -> None:
    path = require_shared(REALWORLD / source.file)
    out = tmp_path / "out.dbml"
    done = run_cli("import", str(path), "--dialect", source.dialect, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "unsupported syntax" not in done.stderr
    text = out.read_text(encoding="utf-8")
    tables = sum(1 for line in text.splitlines() if line.startswith("Table "))
    *listed, summary = done.stderr.splitlines() or [""]
    assert all(re.match(rf"{re.escape(str(path))}:\d+: ", line) for line in listed), listed
    assert summary.startswith(f"{path}: {tables} tables imported") if listed else summary == ""
    with capsys.disabled():
        print(f"\n{source.file}: {tables}/{source.tables} tables, {len(listed)} statements or parts skipped")
    assert tables == source.tables - FOLDED.get(source.file, 0)
    check = run_cli("check", "--no-lint", str(out))
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_realworld_dumps_are_there() -> None:
    require_shared(REALWORLD / "manifest.tsv")
    assert len(dumps()) == 11
