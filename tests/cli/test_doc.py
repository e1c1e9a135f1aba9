"""`dbdsl doc`: the document, the SVG beside it, and what happens without Graphviz."""

from __future__ import annotations

from pathlib import Path

from tests.cli.test_erd import run_without_dot
from tests.helpers import SAMPLES, run_cli


def test_document_and_svg_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "DESIGN.md"
    done = run_cli("doc", str(SAMPLES / "saas.dbml"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# saas: database design")
    assert "[DESIGN.svg](DESIGN.svg)" in text
    assert (tmp_path / "DESIGN.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert done.stderr == ""


def test_stdout_without_svg() -> None:
    done = run_cli("doc", str(SAMPLES / "blog.dbml"))
    assert done.returncode == 0
    assert done.stdout.startswith("# cms: database design") and "```mermaid" in done.stdout


def test_without_graphviz_the_document_is_written_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "shop.md"
    done = run_without_dot("doc", str(SAMPLES / "ecommerce.dbml"), "-o", str(out), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "```mermaid" in out.read_text(encoding="utf-8")
    assert not (tmp_path / "shop.svg").exists()
    assert "warning: Graphviz's 'dot' is not installed" in done.stderr


def test_no_svg_option(tmp_path: Path) -> None:
    out = tmp_path / "d.md"
    assert run_cli("doc", str(SAMPLES / "blog.dbml"), "-o", str(out), "--no-svg").returncode == 0
    assert out.exists() and not (tmp_path / "d.svg").exists()


def test_errors_exit_1_and_write_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.dbml"
    path.write_text("Table t {\n  id int [pk,]\n}\n", encoding="utf-8")
    out = tmp_path / "d.md"
    done = run_cli("doc", str(path), "-o", str(out))
    assert done.returncode == 1 and "E001" in done.stderr and not out.exists()
