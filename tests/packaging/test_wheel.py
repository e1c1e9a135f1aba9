"""The distribution: `python -m build` gives a wheel and an sdist; the wheel, installed into a fresh
virtual environment, holds the grammar and runs `dbdsl check` and `dbdsl serve`.

No network: the build backend (hatchling, a test extra) is already installed, so the build runs without
isolation; in the fresh environment dbdsl comes from the wheel and its dependencies from this test
environment's site-packages (a .pth file), since installing them would need the package index."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO, SAMPLES

from .stdio_server import initialize


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return out


@pytest.fixture(scope="module")
def fresh_venv(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    [wheel] = dist.glob("dbdsl-*.whl")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-index", "--no-deps", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    return venv


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_wheel_and_sdist_hold_the_package_and_the_grammar(dist: Path) -> None:
    [wheel] = dist.glob("dbdsl-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    assert "dbdsl/grammar/dbdsl.lark" in names and "dbdsl/cli/__init__.py" in names
    assert any(n.endswith("entry_points.txt") for n in names)
    [sdist] = dist.glob("dbdsl-*.tar.gz")
    with tarfile.open(sdist) as t:
        names = [n.split("/", 1)[1] for n in t.getnames() if "/" in n]
    assert {"grammar/dbdsl.lark", "dbdsl/cli/__init__.py", "README.md", "LICENSE", "pyproject.toml"} <= set(names)


def test_the_installed_wheel_checks_a_schema(fresh_venv: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [fresh_venv / "bin" / "python", "-c", "import dbdsl.syntax.parser as p; print(p.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
    )
    assert where.stdout.startswith(str(fresh_venv)), where.stdout + where.stderr  # not this checkout
    (tmp_path / "shop.dbml").write_bytes((SAMPLES / "ecommerce.dbml").read_bytes())
    done = subprocess.run(
        [fresh_venv / "bin" / "dbdsl", "check", "--isolated", "shop.dbml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.endswith("in 1 file.\n") or "All checks passed (1 file)." in done.stdout


def test_the_installed_wheel_serves(fresh_venv: Path, tmp_path: Path) -> None:
    result = initialize([str(fresh_venv / "bin" / "dbdsl"), "serve"], cwd=tmp_path, env=clean_env())
    assert result["serverInfo"]["name"] == "dbdsl"
    assert result["capabilities"]["hoverProvider"] is True


def test_grammar_is_found_from_the_source_tree() -> None:
    from dbdsl.syntax.parser import grammar_text

    assert grammar_text() == (REPO / "grammar" / "dbdsl.lark").read_text(encoding="utf-8")
