"""`dbdsl pull`: a live database's schema as a schema file (see `catalog.py` for how it is read)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from ..dialects import DISPLAY_NAME
from ..emit.dsl import schema_text
from ..importers.sql import import_sql
from ..model.schema import Project, Schema
from .catalog import read_catalog
from .connect import Database


@dataclass
class Pulled:
    schema: Schema
    not_carried: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The schema file: the schema, then what it cannot say, listed once as comments."""
        out = schema_text(self.schema)
        if self.not_carried:
            out += "\n// Not carried (the schema language cannot say them):\n"
            out += "".join(f"//   {item}\n" for item in self.not_carried)
        return out


def pull(db: Database, schema: str | None = None, *, project: str | None = None) -> Pulled:
    script = read_catalog(db, schema)
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        result = import_sql(script.text(), db.dialect)
    finally:
        logger.setLevel(level)
    name = project or db.url.database.rsplit("/", 1)[-1].split(".")[0] or "database"
    model = replace(result.schema, project=Project(name=name, database_type=DISPLAY_NAME[db.dialect]))
    return Pulled(model, script.not_carried, list(result.warnings))
