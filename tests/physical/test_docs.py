"""The commands that docs/physical-design.md and docs/orm.md show run as written (from a folder that
holds the samples), and what they write is what the pages say."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPO, SAMPLES, run_cli

PAGES = ["physical-design.md", "orm.md"]


def commands(page: str) -> list[list[str]]:
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "dbdsl":
                found.append(words[1:])
    return found


@pytest.mark.parametrize("page", PAGES)
def test_documented_commands_run(page: str, tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    found = commands(page)
    assert found
    for words in found:
        done = run_cli(*words, cwd=tmp_path)
        assert done.returncode == 0, (words, done.stderr)
        output = words[words.index("-o") + 1]
        assert (tmp_path / output).stat().st_size > 0, words
    if page == "physical-design.md":
        script = (tmp_path / "saas-physical.sql").read_text(encoding="utf-8")
        for title in ("roles", "partitions of each period", "audited changes", "retention", "row-level security"):
            assert f"-- ---- {title}\n" in script
        assert "CREATE POLICY" not in (tmp_path / "saas.sql").read_text(encoding="utf-8")
