"""The design linter (`dbdsl.rules`) as the editor uses it: the project's configuration (`dbdsl.toml` /
`[tool.dbdsl]`, found from the file's folder; the linter notices when those files change) merged with
the editor's settings."""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Finding
from ..rules import ConfigError, LintConfig, find_config, lint
from ..workspace import Analysis


class Linter:
    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        self._report = report or (lambda message: None)
        self._reported: set[str] = set()

    def config(self, path: str, select: tuple[str, ...], ignore: tuple[str, ...], dialect: str | None) -> LintConfig:
        """The project's configuration for `path` with the editor's overrides. A broken configuration
        file is reported (once per message) and the defaults are used meanwhile."""
        try:
            base = find_config(path)
        except ConfigError as e:
            message = f"dbdsl: {e}; using the default rules until it is fixed"
            if message not in self._reported:
                self._reported.add(message)
                self._report(message)
            base = LintConfig()
        return base.merged(select=list(select) or None, ignore=list(ignore) or None, dialect=dialect or None)

    def lint(
        self, analysis: Analysis, select: tuple[str, ...] = (), ignore: tuple[str, ...] = (), dialect: str | None = None
    ) -> list[Finding]:
        config = self.config(analysis.path, select, ignore, dialect)
        return [f for f in lint(analysis, config) if f.span.file == analysis.path]
