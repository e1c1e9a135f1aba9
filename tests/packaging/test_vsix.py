"""The packaged VS Code extension brings its own server: unzipped, its bundled/tool/server.py runs with a
plain Python (no pip, no site-packages: `-I -S`) and answers `initialize`.

The .vsix is packaged by vscode-extension/test.sh (a stage of scripts/test that runs before pytest)."""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO

from .stdio_server import initialize

EXTENSION = REPO / "vscode-extension"


def packaged() -> Path:
    version = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))["version"]
    vsix = EXTENSION / f"dbdsl-{version}.vsix"
    if not vsix.is_file():
        pytest.skip(f"{vsix.relative_to(REPO)} is not built: run vscode-extension/test.sh (scripts/test does)")
    return vsix


def plain_python() -> str:
    """The system's Python where there is one, as a user's machine has it; else this interpreter."""
    for candidate in ("/usr/bin/python3", shutil.which("python3"), sys.executable):
        if candidate and Path(candidate).is_file():
            return candidate
    return sys.executable


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vsix")
    with zipfile.ZipFile(packaged()) as z:
        z.extractall(folder)
    return folder / "extension"


def test_the_vsix_holds_the_server_and_only_pure_python(unpacked: Path) -> None:
    libs = unpacked / "bundled" / "libs"
    assert (unpacked / "bundled" / "tool" / "server.py").is_file()
    names = {p.name.split("-")[0].lower() for p in libs.glob("*.dist-info")}
    assert {"dbdsl", "lark", "sqlglot", "pygls", "lsprotocol", "cattrs", "attrs", "graphviz"} <= names
    assert (libs / "dbdsl" / "grammar" / "dbdsl.lark").is_file()
    assert not [p for p in libs.rglob("*") if p.suffix in (".so", ".pyd", ".dylib")]
    bundled = (libs / "dbdsl" / "cli" / "__init__.py").read_text(encoding="utf-8")
    assert bundled == (REPO / "dbdsl" / "cli" / "__init__.py").read_text(encoding="utf-8")


def test_the_bundled_server_answers_initialize_with_a_plain_python(unpacked: Path, tmp_path: Path) -> None:
    # -I: no PYTHONPATH, no user site; -S: no site-packages at all. Only the bundle can provide dbdsl.
    command = [plain_python(), "-I", "-S", str(unpacked / "bundled" / "tool" / "server.py")]
    result = initialize(command, cwd=tmp_path, env={"PATH": "/usr/bin:/bin"})
    assert result["serverInfo"]["name"] == "dbdsl"
    assert result["capabilities"]["hoverProvider"] is True
