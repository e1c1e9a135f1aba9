"""The ecosystem set: real public schemas from `../shared/corpus/realworld/` (SQL dumps read in with
`dbdsl import`, and `.dbml` files as they are), linted with the default rules.

Each finding is named by its file, its code and its subject (the element it is about: `table`,
`table.column`, `table(index columns)` or `table(columns) > table`), so that a judgement survives
the lines moving when the importer or a rule changes. `bench/ecosystem.py` prints the figures;
`tests/ecosystem/test_ecosystem.py` checks them against the judged baseline.
"""

from __future__ import annotations

import csv
import functools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dbdsl.findings import Finding
from dbdsl.model.schema import Schema
from dbdsl.rules import LintConfig, lint
from dbdsl.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("DBDSL_SHARED", REPO.parent / "shared"))
REALWORLD = SHARED / "corpus" / "realworld"
JUDGED = Path(__file__).with_name("judged.tsv")
VERDICTS = ("true", "false", "noise")
DIALECTS = {"mysql": "mysql", "postgres": "postgres", "sqlite": "sqlite", "mssql": "mssql"}


@dataclass(frozen=True)
class Source:
    file: str  # name in the realworld folder
    dialect: str  # mysql, postgres, sqlite, mssql or dbml
    tables: int  # CREATE TABLE statements or Table blocks, as the manifest counts them


@dataclass
class Linted:
    source: Source
    path: Path  # the DBML that was linted
    schema: Schema
    findings: list[Finding]
    text: str
    lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")


@dataclass(frozen=True)
class Key:
    file: str
    code: str
    subject: str


@dataclass(frozen=True)
class Judgement:
    key: Key
    line: int
    verdict: str
    reason: str


def available() -> bool:
    return (REALWORLD / "manifest.tsv").is_file()


def sources() -> list[Source]:
    with open(REALWORLD / "manifest.tsv", encoding="utf-8") as f:
        return [Source(r["file"], r["dialect"], int(r["tables"])) for r in csv.DictReader(f, delimiter="\t")]


def dbml_of(source: Source, work: Path | None = None) -> Path:
    """The schema file to lint: the .dbml itself, or the output of `dbdsl import` for a dump."""
    path = REALWORLD / source.file
    if source.dialect == "dbml":
        return path
    out = (work or shared_work()) / (source.file.split(".")[0] + ".dbml")
    if not out.is_file():
        subprocess.run(
            [sys.executable, "-m", "dbdsl", "import", str(path), "--dialect", DIALECTS[source.dialect], "-o", str(out)],
            check=True,
            capture_output=True,
            cwd=REPO,
            timeout=600,
        )
    return out


@functools.cache
def shared_work() -> Path:
    """One folder per test process for the imported dumps, so that every test imports each dump once."""
    return Path(tempfile.mkdtemp(prefix="dbdsl-realworld-"))


def lint_all(work: Path | None = None, config: LintConfig | None = None) -> list[Linted]:
    """Every real schema, imported into `work` when it is a dump, linted with `config` (the default rules
    unless given; no configuration file is read)."""
    out = []
    for source in sources():
        path = dbml_of(source, work or shared_work())
        ws = Workspace()
        analysis = ws.analyze(str(path))
        found = sorted(lint(analysis, config or LintConfig()), key=Finding.sort_key)
        out.append(Linted(source, path, analysis.schema, found, path.read_text(encoding="utf-8")))
    return out


# ------------------------------------------------------------------ subjects


def subject(schema: Schema, finding: Finding) -> str:
    """The element a finding is about, by name: the innermost column, index, relationship or table whose
    source holds the finding's start (or the file's first table for a whole-schema finding)."""
    at = finding.span.start_offset
    best: tuple[int, str] | None = None

    def consider(span, name: str) -> None:
        nonlocal best
        if span is None or span.file != finding.span.file:
            return
        if span.start_offset <= at <= span.end_offset:
            size = span.end_offset - span.start_offset
            if best is None or size < best[0]:
                best = (size, name)

    for table in schema.tables:
        consider(table.span, table.name)
        for column in table.columns:
            consider(column.span, f"{table.name}.{column.name}")
        for index in table.indexes:
            columns = ", ".join(k.value for k in index.keys)
            consider(index.span, f"{table.name}({columns})")
    for ref in schema.refs:
        fk, pk = ref.fk_side, ref.pk_side
        consider(ref.span, f"{fk.table}({', '.join(fk.columns)}) > {pk.table}")
    for query in schema.queries:
        consider(query.span, f"query {query.name}")
    return best[1] if best is not None else "(schema)"


def keyed(linted: Linted) -> Iterator[tuple[Key, int, Finding]]:
    for f in linted.findings:
        yield Key(linted.source.file, f.code, subject(linted.schema, f)), f.span.start_pos[0] + 1, f


# ------------------------------------------------------------------ the judged baseline


def read_judged(path: Path = JUDGED) -> dict[Key, Judgement]:
    out: dict[Key, Judgement] = {}
    if not path.is_file():
        return out
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"):
            key = Key(row["file"], row["code"], row["subject"])
            if row["verdict"] not in VERDICTS:
                raise ValueError(f"{path}: verdict of {key} must be one of {VERDICTS}, not {row['verdict']!r}")
            out[key] = Judgement(key, int(row["line"]), row["verdict"], row["reason"])
    return out


def write_judged(rows: list[Judgement], path: Path = JUDGED) -> None:
    rows = sorted(rows, key=lambda j: (j.key.file, j.key.code, j.key.subject))
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Every finding of the default rules on ../shared/corpus/realworld, judged as a senior DBA would:\n")
        f.write("# true (right advice), false (wrong advice) or noise (true but not worth saying).\n")
        f.write("file\tline\tcode\tsubject\tverdict\treason\n")
        for j in rows:
            f.write(f"{j.key.file}\t{j.line}\t{j.key.code}\t{j.key.subject}\t{j.verdict}\t{j.reason}\n")
