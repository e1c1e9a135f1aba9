"""Where a schema state comes from: a file, a git revision, or a migrations directory.

- `FILE`: a .dbml file, analysed with what it imports.
- `git:REV[:PATH]`: the file as it is at revision REV (PATH relative to the current directory, or to
  the repository root when it starts with `/`; without PATH, the `--to` file's own path). Its `use`
  imports are read from the same revision: the file and, transitively, each file it imports are
  written with `git show REV:path` into a temporary tree that mirrors the repository's layout, and
  analysed there, so imports resolve exactly as they did at that revision.
- `DIR`: a migrations directory; the state is rebuilt from its up migrations (see `directory.py`).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..findings import Finding, Severity
from ..model.schema import Schema
from ..workspace import Analysis, SourceError, Workspace, resolve_import


class SourceProblem(Exception):
    """A schema state that cannot be read; `findings` are the errors of a schema that has them."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


class StateProblem(SourceProblem):
    """A state that can be read but not trusted or compared (edited history, an importer that does not
    read the generated SQL back): a problem with the migrations, not with how dbdsl was called."""


@dataclass
class SchemaSource:
    schema: Schema
    label: str  # how to name it to people: `schema.dbml`, `git:HEAD:schema.dbml`, `migrations/`
    analysis: Analysis | None = None
    warnings: list[str] = field(default_factory=list)


def analyze_file(path: str, workspace: Workspace | None = None, *, label: str | None = None) -> Analysis:
    """A schema file's analysis; SourceProblem when it cannot be read or has errors."""
    workspace = workspace or Workspace()
    try:
        analysis = workspace.analyze(path)
    except SourceError as e:
        raise SourceProblem(str(e)) from e
    errors = [f for f in analysis.findings if f.severity is Severity.ERROR]
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        raise SourceProblem(f"{label or path} has {len(errors)} {noun}; fix them first", errors)
    return analysis


def load(
    spec: str, *, to_path: str | None = None, dialect: str | None = None, target: Schema | None = None
) -> SchemaSource:
    """The schema state that `spec` names (see the module docstring).

    For a directory, `target` is the schema it will be compared with: the SQL importer must read back
    what the generator writes for it, or the comparison would invent changes (SourceProblem then).
    """
    if spec.startswith("git:"):
        return from_git(spec, to_path=to_path)
    path = Path(spec)
    if path.is_dir():
        from .directory import MigrationDirectory, replay_fidelity

        directory = MigrationDirectory(path)
        state = directory.state(dialect)
        if target is not None and directory.migrations():
            chosen = directory.resolve_dialect(dialect)
            lost = replay_fidelity(target, chosen)
            if lost is not None:
                raise StateProblem(
                    f"{spec}: the state of {chosen} migrations cannot be rebuilt faithfully for this schema yet "
                    f"(the SQL importer reads the generated SQL back differently: {lost}); "
                    "use --from with the previous schema file or git:REV"
                )
        return SchemaSource(state.schema, spec, None, state.warnings)
    if not path.exists():
        raise SourceProblem(f"{spec}: no such file or directory")
    analysis = analyze_file(spec)
    return SchemaSource(analysis.schema, spec, analysis)


# ---------------------------------------------------------------- git


def parse_git_spec(spec: str) -> tuple[str, str | None]:
    """`git:REV[:PATH]` -> (REV, PATH or None)."""
    body = spec[len("git:") :]
    rev, sep, path = body.partition(":")
    if not rev:
        raise SourceProblem(f"{spec}: give a revision, e.g. git:HEAD or git:main:schema.dbml")
    return rev, (path if sep and path else None)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except FileNotFoundError as e:
        raise SourceProblem("git is not installed (needed for git: sources)") from e


def repository_root(start: Path) -> Path:
    result = _git(["rev-parse", "--show-toplevel"], start)
    if result.returncode != 0:
        raise SourceProblem(f"{start}: not inside a git repository")
    return Path(result.stdout.decode().strip())


def _show(root: Path, rev: str, rel: PurePosixPath) -> bytes | None:
    result = _git(["show", f"{rev}:{rel.as_posix()}"], root)
    return result.stdout if result.returncode == 0 else None


def _commit_of(root: Path, rev: str) -> str:
    """The commit `rev` names; SourceProblem when it names none."""
    result = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if result.returncode != 0:
        raise SourceProblem(f"git:{rev}: no such revision in {root}")
    return result.stdout.decode().strip()


def _git_location(spec: str, to_path: str | None) -> tuple[Path, str, PurePosixPath]:
    """`git:REV[:PATH]` -> (repository root, REV, the file's path in the repository)."""
    rev, path = parse_git_spec(spec)
    if path is None:
        if to_path is None:
            raise SourceProblem(f"{spec}: give the file, e.g. git:{rev}:schema.dbml")
        target = Path(to_path).resolve()
    elif path.startswith("/"):
        target = None
    else:
        target = (Path.cwd() / path).resolve()
    start = target.parent if target is not None and target.parent.exists() else Path.cwd()
    root = repository_root(start).resolve()
    if target is None:
        assert path is not None  # an absolute path in the repository (above)
        return root, rev, PurePosixPath(path.lstrip("/"))
    try:
        return root, rev, PurePosixPath(target.relative_to(root).as_posix())
    except ValueError as e:
        raise SourceProblem(f"{target}: not inside the repository {root}") from e


def from_git(spec: str, *, to_path: str | None) -> SchemaSource:
    root, rev, rel = _git_location(spec, to_path)
    return _from_commit(root, rev, _commit_of(root, rev), rel)


def _from_commit(root: Path, rev: str, commit: str, rel: PurePosixPath) -> SchemaSource:
    """The state of `rel` at `commit` (what `rev` names), labelled by `rev`."""
    label = f"git:{rev}:{rel}"
    with tempfile.TemporaryDirectory(prefix="dbdsl-git-") as tmp:
        main = _materialize(root, commit, rel, Path(tmp))
        if main is None:
            raise SourceProblem(
                f"{rel} does not exist at {rev}; for a first migration use `dbdsl migrate init` "
                "(or name another base with --from)"
            )
        try:
            analysis = analyze_file(str(main), label=label)
        except SourceProblem as e:
            # the findings point into a temporary copy: name the first one by revision instead
            first = e.findings[0] if e.findings else None
            if first is None:
                raise
            line, col = first.span.start_pos
            shown = os.path.relpath(first.span.file, tmp)
            raise StateProblem(f"{e} (first: {rev}:{shown}:{line + 1}:{col + 1}: {first.code} {first.message})") from e
        return SchemaSource(analysis.schema, label, None)


def _materialize(root: Path, rev: str, rel: PurePosixPath, into: Path) -> Path | None:
    """Write `rel` as of `rev`, and the files it imports (transitively), under `into`."""
    workspace = Workspace()
    queue = [rel]
    seen: set[PurePosixPath] = set()
    first: Path | None = None
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        data = _show(root, rev, current)
        if data is None:
            continue
        target = into / current
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if first is None:
            first = target
        try:
            source = workspace.source(str(target))
        except SourceError:
            continue
        for decl in source.decls():
            if decl.kind != "use":
                continue
            imported = decl.imports[1]
            for candidate in (imported, imported + ".dbml"):
                joined = os.path.normpath((current.parent / candidate).as_posix())
                if joined.startswith(".."):
                    continue  # outside the repository: it cannot come from the revision
                queue.append(PurePosixPath(joined))
    return first


# ---------------------------------------------------------------- states asked for again and again

# the states load_recent read lately: an editor asks after every edit, and the state (a commit, the
# migration files) rarely changes in between
_RECENT: OrderedDict[tuple, SchemaSource] = OrderedDict()
_RECENT_KEPT = 4
_RECENT_LOCK = threading.Lock()


def load_recent(spec: str, *, to_path: str | None = None, dialect: str | None = None) -> SchemaSource:
    """`load`, for a caller that asks again and again: a git state is kept by the commit its revision
    names, a directory's by its files' names, sizes and modification times. A file is read every time
    (what it imports would count too)."""
    if spec.startswith("git:"):
        root, rev, rel = _git_location(spec, to_path)
        commit = _commit_of(root, rev)
        return _kept(("git", str(root), commit, str(rel)), lambda: _from_commit(root, rev, commit, rel))
    path = Path(spec)
    if path.is_dir():
        listing = tuple(
            (e.name, stat.st_size, stat.st_mtime_ns)
            for e in sorted(path.iterdir())
            if e.is_file()
            for stat in [e.stat()]
        )
        return _kept(("dir", str(path.resolve()), listing, dialect), lambda: load(spec, dialect=dialect))
    return load(spec, to_path=to_path, dialect=dialect)


def _kept(key: tuple, read: Callable[[], SchemaSource]) -> SchemaSource:
    with _RECENT_LOCK:
        source = _RECENT.get(key)
        if source is not None:
            _RECENT.move_to_end(key)
            return source
    source = read()
    with _RECENT_LOCK:
        _RECENT[key] = source
        while len(_RECENT) > _RECENT_KEPT:
            _RECENT.popitem(last=False)
    return source


__all__ = [
    "SchemaSource",
    "SourceProblem",
    "analyze_file",
    "from_git",
    "load",
    "load_recent",
    "parse_git_spec",
    "resolve_import",
]
