"""The server's settings: the `dbdsl` section that editors send as `initializationOptions`, in
`workspace/didChangeConfiguration` (as `{"dbdsl": {...}}`, or unwrapped as Helix sends it) and in
answer to `workspace/configuration`. Values of the wrong type are ignored (and reported), never fatal."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..dialects import NAMES as DIALECTS


@dataclass(frozen=True)
class Settings:
    dialect: str = ""  # empty: the Project's database_type, else postgres
    lint_select: tuple[str, ...] = ()
    lint_ignore: tuple[str, ...] = ()
    hover_images: bool = True
    migrations_directory: str = "migrations"
    migrations_show_drops: bool = False
    database_url: str = ""  # a live database to compare the file with (never stored in the document)
    problems: tuple[str, ...] = field(default=(), compare=False)

    def updated(self, raw: Any) -> Settings:
        """These settings with the values given in `raw` (a `dbdsl` section, possibly wrapped)."""
        if isinstance(raw, dict) and isinstance(raw.get("dbdsl"), dict):
            raw = raw["dbdsl"]
        if not isinstance(raw, dict):
            return self
        problems: list[str] = []
        changes: dict[str, Any] = {}
        if "dialect" in raw:
            d = raw["dialect"]
            if d in DIALECTS or d == "" or d is None:
                changes["dialect"] = d or ""
            else:
                problems.append(f"dialect must be one of {', '.join(DIALECTS)} (got {d!r})")
        lint = raw.get("lint")
        if isinstance(lint, dict):
            for key in ("select", "ignore"):
                if key in lint:
                    value = _codes(lint[key])
                    if value is None:
                        problems.append(f"lint.{key} must be a list of rule codes")
                    else:
                        changes[f"lint_{key}"] = value
        hover = raw.get("hover")
        if isinstance(hover, dict) and "images" in hover:
            if isinstance(hover["images"], bool):
                changes["hover_images"] = hover["images"]
            else:
                problems.append("hover.images must be true or false")
        migrations = raw.get("migrations")
        if isinstance(migrations, dict):
            directory = migrations.get("directory")
            if isinstance(directory, str) and directory.strip():
                changes["migrations_directory"] = directory.strip()
            elif directory is not None:
                problems.append("migrations.directory must be a folder name")
            drops = migrations.get("showDrops")
            if isinstance(drops, bool):
                changes["migrations_show_drops"] = drops
            elif drops is not None:
                problems.append("migrations.showDrops must be true or false")
        database = raw.get("database")
        if isinstance(database, dict) and "url" in database:
            url = database["url"]
            if isinstance(url, str) or url is None:
                changes["database_url"] = (url or "").strip()
            else:
                problems.append("database.url must be a database URL")
        return replace(self, **changes, problems=tuple(problems))


def _codes(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(v.strip() for v in value if v.strip())
