"""The design linter (`dbdsl.rules`) as the editor uses it: imported when it is installed, with the
project's configuration (`dbdsl.toml` / `[tool.dbdsl]`, found from the file's folder) merged with
the editor's settings. Without the linter, the editor gets the parser's and binder's findings only."""

from __future__ import annotations

import importlib
import logging
import os
from typing import Any

from ..findings import Finding
from ..workspace import Analysis

log = logging.getLogger(__name__)


class Linter:
    def __init__(self) -> None:
        self._configs: dict[str, Any] = {}
        self._api: tuple | bool | None = False  # False: not looked up yet

    def _load(self) -> tuple | None:
        if self._api is False:
            try:
                rules = importlib.import_module("dbdsl.rules")
                config = importlib.import_module("dbdsl.rules.config")
                self._api = (rules.lint, config.find_config)
            except (ImportError, AttributeError):
                self._api = None
        return self._api  # type: ignore[return-value]

    @property
    def available(self) -> bool:
        return self._load() is not None

    def forget_configs(self) -> None:
        """A configuration file changed: find and read them again."""
        self._configs.clear()

    def config(self, path: str, select: tuple[str, ...], ignore: tuple[str, ...], dialect: str | None) -> Any:
        api = self._load()
        if api is None:
            return None
        folder = os.path.dirname(path)
        base = self._configs.get(folder)
        if base is None:
            base = self._configs[folder] = api[1](path)
        return base.merged(select=list(select) or None, ignore=list(ignore) or None, dialect=dialect or None)

    def lint(
        self, analysis: Analysis, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), dialect: str | None = None
    ) -> list[Finding]:
        api = self._load()
        if api is None:
            return []
        config = self.config(analysis.path, select, ignore, dialect)
        return [f for f in api[0](analysis, config) if f.span.file == analysis.path]
