"""A real Neovim (headless, Debian's `neovim`) with the configuration in editors/nvim runs `dbdsl serve`:
it receives the diagnostics of an opened sample, gets answers to hover and go to definition, and a
code lens it runs fills the quickfix list with the references."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, SAMPLES

HERE = Path(__file__).parent


@pytest.mark.slow
def test_neovim_gets_diagnostics_hover_definition_and_lenses(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("nvim is not installed (scripts/setup --test installs Debian's neovim)")
    text = (SAMPLES / "blog.dbml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(  bio +text\n)", r"\1  editor_id int [ref: > editors.id]\n", text, count=1)
    assert "editors.id" in text
    (tmp_path / ".git").mkdir()
    schema = tmp_path / "blog.dbml"
    schema.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    hover_line = next(i for i, line in enumerate(lines) if "ref: > authors.id" in line)
    hover_col = lines[hover_line].index("authors.id") + 2
    table_line = next(i for i, line in enumerate(lines) if line.startswith("Table authors"))
    result = tmp_path / "result.json"
    env = dict(
        os.environ,
        DBDSL_SERVER_CMD=f"{sys.executable} -m dbdsl serve",
        PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        RESULT_FILE=str(result),
        HOVER_LINE=str(hover_line),
        HOVER_COL=str(hover_col),
        LENS_LINE=str(table_line),
        XDG_STATE_HOME=str(tmp_path / "state"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    proc = subprocess.run(
        [nvim, "--headless", "-u", str(REPO / "editors/nvim/minimal_init.lua"), str(schema)]
        + ["-c", f"luafile {HERE / 'lsp_test.lua'}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.is_file(), f"Neovim wrote no result:\n{proc.stdout}\n{proc.stderr}"
    got = json.loads(result.read_text())
    assert got["errors"] == []
    broken = next(i for i, line in enumerate(lines) if "editors.id" in line)
    assert [d for d in got["diagnostics"] if str(d["code"]).startswith("E")] == [
        {"lnum": broken, "col": lines[broken].index("editors"), "message": "unknown table 'editors'", "code": "E101"}
    ]
    hover = got["hover"]["contents"]["value"]
    assert hover.startswith("**Table** `authors`") and "| display_name | varchar(100) | not null |" in hover
    (definition,) = got["definition"]
    assert definition["uri"] == schema.as_uri()
    assert definition["range"]["start"] == {"line": table_line, "character": len("Table ")}
    # the one use of `authors`, in posts.author_id (1-based line and column in the quickfix list)
    assert got["lens"] == "1 reference"
    assert got["quickfix"] == {
        "title": "dbdsl: references",
        "items": [{"file": str(schema), "lnum": hover_line + 1, "col": hover_col - 1}],
    }
