"""The grammar ships inside the wheel and is found from an installed wheel (and from the source tree)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO

PROBE = """
import sys
from dbdsl.syntax import parser
from dbdsl.workspace import SourceFile
assert "site" in parser.__file__ or "wheel" in parser.__file__, parser.__file__
source = SourceFile("/virtual/t.dbml", "Table t {\\n  id int [pk]\\n}\\n")
assert not source.local_findings()
print(len(parser.grammar_text()))
"""


@pytest.mark.slow
def test_grammar_is_packaged_and_found_from_the_wheel(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if built.returncode != 0 and "No matching distribution" in built.stderr:
        pytest.skip("the build backend could not be downloaded")
    assert built.returncode == 0, built.stderr
    [wheel] = (tmp_path / "dist").glob("dbdsl-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert "dbdsl/grammar/dbdsl.lark" in names
        z.extractall(tmp_path / "wheel")
    grammar = (REPO / "grammar" / "dbdsl.lark").read_text(encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "wheel"))
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert probe.returncode == 0, probe.stderr
    assert int(probe.stdout) == len(grammar)


def test_grammar_is_found_from_the_source_tree() -> None:
    from dbdsl.syntax.parser import grammar_text

    assert grammar_text() == (REPO / "grammar" / "dbdsl.lark").read_text(encoding="utf-8")
