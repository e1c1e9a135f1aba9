"""dbdsl's Mermaid ERDs read by Mermaid's own parser (the `mermaid` npm package in Node.js, the code
GitHub and GitLab run before drawing), for the samples, a 100-table schema, awkward names and every
schema of the conformance corpus; and the diagram the design document embeds."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dbdsl.document import render_document
from dbdsl.emit.erd import to_mermaid
from dbdsl.workspace import Workspace
from tests.helpers import SAMPLES, require_corpus

from .big_schema import big_schema_text

CHECKER = Path(__file__).parent / "mermaid"

AWKWARD = """
Enum app."order status" {
  "on hold"
  shipped [note: 'it\\'s gone']
}
Table app.users {
  id int [pk]
  "e-mail address" varchar(320) [unique, note: 'the "login"; -- not a comment']
  balance decimal(12,2)
  scores int[]
  height "double precision"
  manager_id int [ref: > app.users.id]
}
Table "2fa codes" {
  user_id int [pk, ref: - app.users.id]
  "código" text [note: '日本語 · emoji 🎉 \\\\ backslash']
}
Table "order" {
  id int [pk]
  status app."order status"
  "table" text
}
Table lines {
  order_id int
  n int
  indexes { (order_id, n) [pk] }
}
Ref: lines.order_id > "order".id
Ref: "order".id <> app.users.id
"""


@pytest.fixture(scope="module")
def parse_mermaid():
    node = shutil.which("node")
    if node is None or not (CHECKER / "node_modules" / "mermaid").is_dir():
        pytest.skip(
            "Mermaid's parser is not installed: scripts/setup --test installs Node.js and runs npm ci in "
            f"{CHECKER.relative_to(SAMPLES.parent)}"
        )

    def parse(paths: list[Path]) -> dict[str, dict]:
        done = subprocess.run(
            [node, str(CHECKER / "parse.mjs"), *map(str, paths)], capture_output=True, text=True, timeout=600
        )
        results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        assert len(results) == len(paths), done.stdout + done.stderr
        return {r["file"]: r for r in results}

    return parse


def write_diagrams(tmp_path: Path, named_texts: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in named_texts.items():
        path = tmp_path / f"{name}.mmd"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def schema_of(path: Path, text: str | None = None):
    workspace = Workspace()
    if text is not None:
        workspace.open(str(path), text)
    return workspace.analyze(str(path))


def assert_all_er(results: dict[str, dict]) -> None:
    failed = {Path(f).name: r["error"].splitlines()[:3] for f, r in results.items() if "error" in r}
    assert not failed, failed
    assert {r["type"] for r in results.values()} == {"er"}


def test_samples_big_and_awkward_schemas_parse(tmp_path: Path, parse_mermaid) -> None:
    texts = {p.stem: to_mermaid(schema_of(p).schema) for p in sorted(SAMPLES.glob("*.dbml"))}
    texts["hundred_tables"] = to_mermaid(schema_of(tmp_path / "big.dbml", big_schema_text()).schema)
    awkward = schema_of(tmp_path / "awkward.dbml", AWKWARD)
    assert not awkward.errors, awkward.errors
    texts["awkward"] = to_mermaid(awkward.schema)
    assert_all_er(parse_mermaid(write_diagrams(tmp_path, texts)))


def test_the_corpus_parses(tmp_path: Path, parse_mermaid) -> None:
    texts = {}
    for i, path in enumerate(sorted(require_corpus().rglob("*.dbml"))):
        analysis = schema_of(path)
        if not analysis.errors and analysis.schema.tables:
            texts[f"{i:03d}_{path.stem}"] = to_mermaid(analysis.schema)
    assert len(texts) >= 50
    assert_all_er(parse_mermaid(write_diagrams(tmp_path, texts)))
    print(f"mermaid: {len(texts)} corpus diagrams read by Mermaid's parser")


def test_the_documents_diagram_parses(tmp_path: Path, parse_mermaid) -> None:
    texts = {}
    for path in sorted(SAMPLES.glob("*.dbml")):
        document = render_document(schema_of(path))
        (block,) = re.findall(r"```mermaid\n(.*?)```", document, re.S)
        texts[path.stem] = block
    assert_all_er(parse_mermaid(write_diagrams(tmp_path, texts)))


def test_the_checker_rejects_a_broken_diagram(tmp_path: Path, parse_mermaid) -> None:
    broken = to_mermaid(schema_of(SAMPLES / "blog.dbml").schema).replace("{", "{{", 1)
    (result,) = parse_mermaid(write_diagrams(tmp_path, {"broken": broken})).values()
    assert "error" in result and "Parse error" in result["error"]
