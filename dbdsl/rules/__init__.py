"""The design linter: rules by family (N normalization, I indexes, C constraints, T types, S naming,
Q access patterns), their configuration, suppression comments and the incremental engine.

    from dbdsl.rules import lint
    findings = lint(workspace.analyze(path))          # configuration found from the file's folder
"""

from __future__ import annotations

from .config import ConfigError, LintConfig, find_config
from .engine import lint

__all__ = ["ConfigError", "LintConfig", "find_config", "lint"]
