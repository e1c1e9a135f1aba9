"""Linter configuration: which rules run, at which severity, for which files, for which engine.

Read from `dbdsl.toml` (keys at the top level) or from `[tool.dbdsl]` in `pyproject.toml`, found by
walking up from the checked file; the lint keys may also sit in a `lint` sub-table:

    [tool.dbdsl]
    dialect = "postgres"
    select = ["ALL"]              # rule codes or prefixes: "N", "I1", "C103"; default: every rule on by default
    extend-select = ["S103"]
    ignore = ["S104"]
    fail-on = "warning"           # what makes `dbdsl check` exit with status 1 (default: error)

    [tool.dbdsl.severity]
    T104 = "error"
    S = "info"                    # a prefix sets every rule under it

    [tool.dbdsl.per-file-ignores]
    "legacy/*.dbml" = ["N", "S"]

As in ruff, the most specific selector wins (`C103` beats `C`, which beats `ALL`), and an ignore beats
a select of the same specificity.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..dialects import SQLGLOT, dialect_name
from ..findings import Severity

CONFIG_FILES = ("dbdsl.toml", "pyproject.toml")
FAIL_ON = ("error", "warning", "info")
LINT_KEYS = {"select", "extend-select", "ignore", "extend-ignore", "severity", "per-file-ignores", "fail-on"}


class ConfigError(Exception):
    """A configuration file or option that cannot be used (reported as a usage error)."""


@dataclass(frozen=True)
class LintConfig:
    select: tuple[str, ...] | None = None  # None: every rule that is on by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    dialect: str | None = None
    fail_on: str = "error"
    root: str | None = None  # folder that per-file patterns are relative to
    source: str | None = None  # the file this configuration was read from
    _cache: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        for selector in (*(self.select or ()), *self.extend_select, *self.ignore):
            _check_selector(selector, self.source)
        for pattern, codes in self.per_file_ignores:
            for selector in codes:
                _check_selector(selector, self.source, f"per-file-ignores '{pattern}'")
        for selector, _sev in self.severity:
            _check_selector(selector, self.source, "severity")
        if self.dialect is not None and dialect_name(self.dialect) is None:
            raise ConfigError(_where(self.source) + f"unknown dialect '{self.dialect}' (use {_dialect_names()})")
        if self.fail_on not in FAIL_ON:
            raise ConfigError(_where(self.source) + f"fail-on must be one of {', '.join(FAIL_ON)}")

    # ------------------------------------------------------------------ queries

    def enabled_codes(self, path: str | None = None) -> frozenset[str]:
        """Codes of the rules that run on `path`."""
        ignores = self.ignores_for(path)
        key = ("codes", ignores)
        got = self._cache.get(key)
        if got is None:
            from .registry import CONFIGURABLE

            got = frozenset(code for code, rule in CONFIGURABLE.items() if self._on(code, rule.enabled, ignores))
            self._cache[key] = got
        return got

    def ignores_for(self, path: str | None) -> tuple[str, ...]:
        if not self.per_file_ignores or path is None:
            return self.ignore
        extra: list[str] = []
        rel = self._relative(path)
        for pattern, codes in self.per_file_ignores:
            if _matches(pattern, rel):
                extra.extend(codes)
        return self.ignore + tuple(extra)

    def severity_of(self, code: str, default: Severity) -> Severity:
        best, found = -1, default
        for selector, severity in self.severity:
            if _selects(selector, code) and _specificity(selector) > best:
                best, found = _specificity(selector), severity
        return found

    def merged(
        self,
        *,
        select: list[str] | tuple[str, ...] | None = None,
        extend_select: list[str] | tuple[str, ...] | None = None,
        ignore: list[str] | tuple[str, ...] | None = None,
        dialect: str | None = None,
        severity: dict[str, str] | None = None,
        fail_on: str | None = None,
    ) -> LintConfig:
        """This configuration with overrides (from the command line or the editor): `select` and
        `dialect` replace, `extend_select`, `ignore` and `severity` add."""
        changes: dict = {"_cache": {}}
        if select is not None:
            changes["select"] = tuple(select)
        if extend_select:
            changes["extend_select"] = self.extend_select + tuple(extend_select)
        if ignore:
            changes["ignore"] = self.ignore + tuple(ignore)
        if dialect is not None:
            changes["dialect"] = dialect
        if severity:
            changes["severity"] = self.severity + _severities(severity, None)
        if fail_on is not None:
            changes["fail_on"] = fail_on
        return replace(self, **changes)

    # ------------------------------------------------------------------ helpers

    def _on(self, code: str, default_on: bool, ignores: tuple[str, ...]) -> bool:
        best, state = -1, False
        if self.select is None and default_on:
            best, state = 0, True
        for selector in (*(self.select or ()), *self.extend_select):
            if _selects(selector, code) and _specificity(selector) > best:
                best, state = _specificity(selector), True
        for selector in ignores:
            if _selects(selector, code) and _specificity(selector) >= best:
                best, state = _specificity(selector), False
        return state

    def _relative(self, path: str) -> str:
        base = self.root or os.getcwd()
        try:
            rel = os.path.relpath(os.path.abspath(path), base)
        except ValueError:
            rel = path
        return rel.replace(os.sep, "/")


def _matches(pattern: str, rel: str) -> bool:
    pattern = pattern.replace(os.sep, "/")
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    if "/" not in pattern:  # a bare file pattern applies in every folder
        return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)
    return pattern.endswith("/") and rel.startswith(pattern)


def _selects(selector: str, code: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def _specificity(selector: str) -> int:
    return 0 if selector == "ALL" else len(selector)


def _where(source: str | None) -> str:
    return f"{source}: " if source else ""


def _dialect_names() -> str:
    return ", ".join(SQLGLOT)


def _check_selector(selector: str, source: str | None, context: str = "") -> None:
    from .registry import CONFIGURABLE

    where = _where(source) + (f"{context}: " if context else "")
    if not isinstance(selector, str):
        raise ConfigError(where + f"rule selectors are strings, not {selector!r}")
    if selector == "ALL":
        return
    if selector.startswith("E"):
        raise ConfigError(where + f"'{selector}': E codes are errors in the file itself; they cannot be selected")
    if not any(code.startswith(selector) for code in CONFIGURABLE):
        raise ConfigError(where + f"unknown rule code or prefix '{selector}' (see `dbdsl rules`)")


def _severities(table: dict, source: str | None) -> tuple[tuple[str, Severity], ...]:
    out = []
    for selector, value in table.items():
        try:
            out.append((selector, Severity(str(value).lower())))
        except ValueError:
            raise ConfigError(
                _where(source) + f"severity of '{selector}' must be error, warning or info, not {value!r}"
            ) from None
    return tuple(out)


# ------------------------------------------------------------------ reading files


def find_config(path: str) -> LintConfig:
    """The configuration that applies to `path`: the nearest `dbdsl.toml`, or `pyproject.toml` with a
    `[tool.dbdsl]` table, in its folder or above; the defaults when there is none."""
    start = Path(os.path.abspath(path))
    folder = start if start.is_dir() else start.parent
    for directory in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            try:
                stamp = candidate.stat().st_mtime_ns
            except OSError:
                continue
            config = _load(str(candidate), stamp)
            if config is not None:
                return config
    return LintConfig()


def load_config(path: str) -> LintConfig:
    """Read one configuration file named explicitly (e.g. `dbdsl check --config FILE`)."""
    try:
        stamp = os.stat(path).st_mtime_ns
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from e
    config = _load(os.path.abspath(path), stamp)
    if config is None:
        raise ConfigError(f"{path}: has no [tool.dbdsl] table")
    return config


@lru_cache(maxsize=64)
def _load(path: str, _stamp: int) -> LintConfig | None:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise ConfigError(f"{path}: cannot read ({e.strerror})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from e
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start} cannot be decoded)") from e
    if Path(path).name == "pyproject.toml":
        section = data.get("tool", {}).get("dbdsl")
        if section is None:
            return None
    else:
        section = data
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.dbdsl] must be a table")
    return config_from_table(section, path)


def config_from_table(section: dict, source: str | None = None) -> LintConfig:
    """A configuration from a TOML table (keys may use '-' or '_')."""
    section = {k.replace("_", "-"): v for k, v in section.items()}
    lint = {k.replace("_", "-"): v for k, v in section.get("lint", {}).items()}
    unknown = sorted(set(lint) - LINT_KEYS)
    if unknown:
        raise ConfigError(_where(source) + f"unknown lint setting '{unknown[0]}'")
    values = {k: v for k, v in section.items() if k in LINT_KEYS}
    values.update(lint)

    def codes(key: str) -> tuple[str, ...]:
        value = values.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(_where(source) + f"'{key}' must be a list of rule codes")
        return tuple(value)

    select = tuple(codes("select")) if "select" in values else None
    severity = values.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(_where(source) + '\'severity\' must be a table of CODE = "error" | "warning" | "info"')
    per_file = values.get("per-file-ignores", {})
    if not isinstance(per_file, dict) or not all(
        isinstance(v, list) and all(isinstance(c, str) for c in v) for v in per_file.values()
    ):
        raise ConfigError(_where(source) + "'per-file-ignores' must map file patterns to lists of rule codes")
    dialect = section.get("dialect")
    if dialect is not None and not isinstance(dialect, str):
        raise ConfigError(_where(source) + "'dialect' must be a string")
    fail_on = values.get("fail-on", "error")
    if not isinstance(fail_on, str):
        raise ConfigError(_where(source) + "'fail-on' must be a string")
    return LintConfig(
        select=select,
        extend_select=codes("extend-select"),
        ignore=codes("ignore") + codes("extend-ignore"),
        severity=_severities(severity, source),
        per_file_ignores=tuple((pattern, tuple(v)) for pattern, v in per_file.items()),
        dialect=dialect,
        fail_on=fail_on.lower(),
        root=str(Path(source).parent) if source else None,
        source=source,
    )
