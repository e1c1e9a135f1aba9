"""The design linter (`dbdsl.rules`) as the editor uses it: imported when it is installed, with the
project's configuration (`dbdsl.toml` / `[tool.dbdsl]`, found from the file's folder; the linter
notices when those files change) merged with the editor's settings. Without the linter, the editor
gets the parser's and binder's findings only."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from ..findings import Finding
from ..workspace import Analysis


class Linter:
    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        self._api: tuple | bool | None = False  # False: not looked up yet
        self._report = report or (lambda message: None)
        self._reported: set[str] = set()

    def _load(self) -> tuple | None:
        if self._api is False:
            try:
                rules = importlib.import_module("dbdsl.rules")
                self._api = (rules.lint, rules.find_config, getattr(rules, "ConfigError", ()), rules.LintConfig)
            except (ImportError, AttributeError):
                self._api = None
        return self._api  # type: ignore[return-value]

    @property
    def available(self) -> bool:
        return self._load() is not None

    def config(self, path: str, select: tuple[str, ...], ignore: tuple[str, ...], dialect: str | None) -> Any:
        """The project's configuration for `path` with the editor's overrides. A broken configuration
        file is reported (once per message) and the defaults are used meanwhile."""
        _lint, find_config, config_error, lint_config = self._load()
        try:
            base = find_config(path)
        except config_error as e:
            message = f"dbdsl: {e}; using the default rules until it is fixed"
            if message not in self._reported:
                self._reported.add(message)
                self._report(message)
            base = lint_config()
        return base.merged(select=list(select) or None, ignore=list(ignore) or None, dialect=dialect or None)

    def lint(
        self, analysis: Analysis, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), dialect: str | None = None
    ) -> list[Finding]:
        api = self._load()
        if api is None:
            return []
        config = self.config(analysis.path, select, ignore, dialect)
        return [f for f in api[0](analysis, config) if f.span.file == analysis.path]
