"""`dbdsl erd`: formats from the suffix or --format, focus, and the message when Graphviz is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO, SAMPLES, run_cli

SAMPLE = str(SAMPLES / "ecommerce.dbml")


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("erd.svg", b"<?xml"),
        ("erd.png", b"\x89PNG"),
        ("erd.dot", b"// ERD of shop"),
        ("erd.mmd", b"erDiagram\n"),
        ("erd.txt", "┌".encode()),
    ],
)
def test_suffix_picks_the_format(tmp_path: Path, name: str, start: bytes) -> None:
    out = tmp_path / name
    done = run_cli("erd", SAMPLE, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(start)
    assert done.stdout == "" and done.stderr == ""


def test_text_on_stdout_by_default_and_focus() -> None:
    done = run_cli("erd", SAMPLE, "--focus", "payments")
    assert done.returncode == 0
    assert done.stdout.startswith("┌") and "payments.order_id  * >── 1  orders.id" in done.stdout
    assert "customers" not in done.stdout


def test_format_option_wins_over_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "diagram.out"
    done = run_cli("erd", SAMPLE, "-o", str(out), "--format", "mmd")
    assert done.returncode == 0
    assert out.read_text(encoding="utf-8").startswith("erDiagram")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "nowhere"], "dbdsl: --focus: no table 'nowhere' in the schema"),
        (["-o", "erd.jpeg"], "dbdsl: erd.jpeg: cannot tell the format from the suffix"),
        (["--format", "png"], "dbdsl: a png ERD needs an output file: -o erd.png"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    done = run_cli("erd", SAMPLE, *args)
    assert done.returncode == 2
    assert done.stderr.startswith(message) and len(done.stderr.strip().splitlines()) == 1


def test_file_with_errors_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "bad.dbml"
    path.write_text("Table t {\n  id int [ref: > nowhere.id]\n}\n", encoding="utf-8")
    done = run_cli("erd", str(path), "-o", str(tmp_path / "erd.svg"))
    assert done.returncode == 1
    assert "E101 unknown table 'nowhere'" in done.stderr
    assert not (tmp_path / "erd.svg").exists()


def run_without_dot(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The CLI with a PATH that finds no Graphviz (an empty folder). The interpreter is this one, by its own
    path: a copy or link of it elsewhere would lose a virtual environment's packages."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = dict(os.environ, PATH=str(bin_dir), PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "dbdsl", *args], env=env, capture_output=True, text=True, timeout=120)


def test_without_graphviz_svg_says_how_to_install_it(tmp_path: Path) -> None:
    assert shutil.which("dot"), "Graphviz is installed here (scripts/setup), so its absence can be simulated"
    out = tmp_path / "erd.svg"
    done = run_without_dot("erd", SAMPLE, "-o", str(out), tmp_path=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "Graphviz" in lines[0] and "apt-get install graphviz" in lines[0] and "brew install graphviz" in lines[0]
    assert "the dot, mmd and txt formats work without it" in lines[0]
    assert not out.exists()


@pytest.mark.parametrize("name", ["erd.dot", "erd.mmd", "erd.txt"])
def test_without_graphviz_the_other_formats_work(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    done = run_without_dot("erd", SAMPLE, "-o", str(out), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0
