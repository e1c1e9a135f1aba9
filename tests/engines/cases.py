"""The inputs the engine tests run: the samples and the valid DBML inputs of the corpus's exporters."""

from __future__ import annotations

from pathlib import Path

from dbdsl.workspace import Workspace
from tests.helpers import CORPUS, SAMPLES

# model_exporter cases whose DBML (model_exporter/dbml/<case>.out.dbml) comes from the same JSON input
# as the reference's SQL (model_exporter/postgres/<case>.out.sql)


def corpus_inputs() -> list[Path]:
    """exporter/<dialect>/*.in.dbml and model_exporter/dbml/*.out.dbml (the DBML the corpus holds)."""
    if not CORPUS.is_dir():
        return []
    return sorted(CORPUS.glob("exporter/*/*.in.dbml")) + sorted(CORPUS.glob("model_exporter/dbml/*.out.dbml"))


def sample_inputs() -> list[Path]:
    return sorted(SAMPLES.glob("*.dbml"))


def case_id(path: Path) -> str:
    if path.is_relative_to(SAMPLES):
        return f"sample:{path.stem}"
    rel = path.relative_to(CORPUS)
    return f"{rel.parts[0]}/{rel.parts[1]}/{path.name.split('.')[0]}"


def reference_sql(path: Path) -> Path | None:
    """The reference exporter's PostgreSQL output for the same input, when the corpus has it."""
    rel = path.relative_to(CORPUS)
    case = path.name.split(".")[0]
    if rel.parts[0] == "exporter" and rel.parts[1] == "postgres":
        return path.with_name(f"{case}.out.sql")
    if rel.parts[0] == "model_exporter":
        json_in = CORPUS / "model_exporter" / "dbml" / f"{case}.in.json"
        pg_in = CORPUS / "model_exporter" / "postgres" / f"{case}.in.json"
        if pg_in.is_file() and json_in.is_file() and pg_in.read_bytes() == json_in.read_bytes():
            return pg_in.with_name(f"{case}.out.sql")
    return None


def schema_of(path: Path):
    analysis = Workspace().analyze(str(path))
    assert not analysis.errors, f"{path}: {analysis.errors[0].message}"
    return analysis.schema


def excused(difference: tuple[str, str, str], warnings: list[str]) -> bool:
    """Whether the script announced the difference: what it left out is named in a warning."""
    table, kind, detail = difference
    names = {table, table.replace("_", ".", 1)}  # SQLite names schema.table schema_table
    return any(_excused(name, kind, detail, warnings) for name in names)


def _excused(table: str, kind: str, detail: str, warnings: list[str]) -> bool:
    for w in warnings:
        if kind == "fk" and detail.startswith("missing") and "no foreign key" in w and table in w:
            return True
        if kind == "index" and detail.startswith("missing") and w.startswith(f"{table}: index") and "left out" in w:
            return True
        if kind == "check" and w.startswith(f"{table}:") and "check" in w and "left out" in w:
            return True
        if kind == "default" and w.startswith(f"{table}.") and "default" in w and "left out" in w:
            return True
        if kind == "rows" and w.startswith(f"{table}.") and "left out" in w:
            return True
        if kind == "column" and "increment" in detail and w.startswith(f"{table}.") and "increment is left out" in w:
            return True
    return False
