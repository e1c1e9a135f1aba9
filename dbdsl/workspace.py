"""Documents, their blocks and caches, imports between files, and analysis. Knows nothing about LSP.

A `SourceFile` keeps its text split into top-level blocks. Each block entry holds an `Anchor` (where
the block sits now), its parse (cached by text) and its declarations. An edit re-splits only the
region it touches; unchanged blocks keep their entries and only their anchors move. Analysis of a
file links the declarations of its blocks and of what it imports (`use`/`reuse`) into one Schema.
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .findings import Finding, Severity
from .gcpause import gc_paused
from .model.declare import Decl, declare
from .model.errors import error, warning
from .model.link import LinkCache, link
from .model.schema import Schema
from .model.spans import Anchor, Span
from .paths import display_path
from .syntax.blocks import RawBlock, block_end_from, skip_layout, split_blocks
from .syntax.parser import BlockParse, parse_block


class SourceError(Exception):
    """A file that cannot be read as text: missing, unreadable or not UTF-8."""


@dataclass(eq=False)
class BlockEntry:
    anchor: Anchor
    parse: BlockParse
    decl: Decl | None = None
    problems: list[Finding] | None = None

    @property
    def text(self) -> str:
        return self.anchor.text

    @property
    def start(self) -> int:
        return self.anchor.offset

    @property
    def end(self) -> int:
        return self.anchor.offset + len(self.anchor.text)


class SourceFile:
    def __init__(self, path: str, text: str, version: int | None = None) -> None:
        self.path = path
        self.text = ""
        self.version = version
        self.entries: list[BlockEntry] = []
        self.set_text(text, version)

    # ------------------------------------------------------------ text changes

    def set_text(self, text: str, version: int | None = None) -> None:
        """Replace the whole text, reusing the entries of blocks whose text did not change."""
        with gc_paused():
            self._set_text(text, version)

    def _set_text(self, text: str, version: int | None) -> None:
        old: dict[str, deque[BlockEntry]] = defaultdict(deque)
        for entry in self.entries:
            old[entry.text].append(entry)
        self.text = text
        self.version = version
        self.entries = [self._entry(raw, old) for raw in split_blocks(text)]

    def apply_edit(self, start: int, end: int, new_text: str, version: int | None = None) -> None:
        """Replace text[start:end] by new_text, re-splitting only the blocks the edit touches."""
        with gc_paused():
            self._apply_edit(start, end, new_text, version)

    def _apply_edit(self, start: int, end: int, new_text: str, version: int | None) -> None:
        text = self.text[:start] + new_text + self.text[end:]
        delta = len(new_text) - (end - start)
        entries = self.entries
        # first block that may change: the one containing `start`, or the one before when the edit
        # touches its end (a block's end depends on what follows it)
        first = 0
        lo, hi = 0, len(entries)
        while lo < hi:
            mid = (lo + hi) // 2
            if entries[mid].start <= start:
                lo = mid + 1
            else:
                hi = mid
        first = max(0, lo - 2)
        if first == 0 or not entries:
            first, resume_from, line, column = 0, 0, 0, 0
        else:
            anchor = entries[first].anchor
            resume_from, line, column = anchor.offset, anchor.line, anchor.column
        old: dict[str, deque[BlockEntry]] = defaultdict(deque)
        # blocks after the edit keep their entries once the new split lines up with them again
        later = {e.start + delta: i for i, e in enumerate(entries) if e.start >= end}
        new_entries = entries[:first]
        for e in entries[first:]:
            if e.start < end:
                old[e.text].append(e)
        pos = skip_layout(text, resume_from)
        line, column = _advance(text, resume_from, pos, line, column)
        n = len(text)
        tail: list[BlockEntry] = []
        while pos < n:
            index = later.get(pos)
            edit_end = start + len(new_text)
            if index is not None and pos >= edit_end and "\n" in text[edit_end:pos]:
                tail = entries[index:]
                break
            block_end = block_end_from(text, pos)
            raw = RawBlock(text[pos:block_end], pos, line, column)
            new_entries.append(self._entry(raw, old))
            nxt = skip_layout(text, block_end)
            line, column = _advance(text, pos, nxt, line, column)
            pos = nxt
        if tail:
            line_delta = new_text.count("\n") - self.text.count("\n", start, end)
            for entry in tail:
                a = entry.anchor
                a.move(a.offset + delta, a.line + line_delta, a.column)
            new_entries.extend(tail)
        self.text = text
        self.version = version
        self.entries = new_entries

    def _entry(self, raw: RawBlock, old: dict[str, deque[BlockEntry]]) -> BlockEntry:
        reuse = old.get(raw.text)
        if reuse:
            entry = reuse.popleft()
            entry.anchor.move(raw.start, raw.line, raw.column)
            return entry
        anchor = Anchor(self.path, raw.start, raw.line, raw.column, raw.text)
        return BlockEntry(anchor, parse_block(raw.text))

    # ------------------------------------------------------------ per-block results

    def decls(self) -> list[Decl]:
        out = []
        for entry in self.entries:
            if entry.decl is None and entry.parse.block is not None:
                entry.decl = declare(entry.parse.block, entry.anchor, recovered=bool(entry.parse.problems))
            if entry.decl is not None:
                out.append(entry.decl)
        return out

    def local_findings(self) -> list[Finding]:
        """Syntax errors and the findings of each block on its own."""
        self.decls()
        out: list[Finding] = []
        for entry in self.entries:
            if entry.problems is None:
                entry.problems = [
                    error("E001", p.message, Span(entry.anchor, p.start, p.end)) for p in entry.parse.problems
                ]
            out.extend(entry.problems)
            if entry.decl is not None:
                out.extend(entry.decl.findings)
        return out

    def entry_at(self, offset: int) -> BlockEntry | None:
        """The block that contains `offset`, if any."""
        lo, hi = 0, len(self.entries)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.entries[mid].start <= offset:
                lo = mid + 1
            else:
                hi = mid
        if lo and offset <= self.entries[lo - 1].end:
            return self.entries[lo - 1]
        return None


def _advance(text: str, frm: int, to: int, line: int, column: int) -> tuple[int, int]:
    count = text.count("\n", frm, to)
    if count:
        return line + count, to - (text.rfind("\n", frm, to) + 1)
    return line, column + (to - frm)


def read_source(path: str) -> str:
    shown = display_path(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as e:
        raise SourceError(f"{shown}: no such file or directory") from e
    except IsADirectoryError as e:
        raise SourceError(f"{shown}: is a directory") from e
    except OSError as e:
        raise SourceError(f"{shown}: cannot read ({e.strerror})") from e
    return decode_source(data, shown)


def decode_source(data: bytes, name: str) -> str:
    """UTF-8 text without its byte-order mark; `name` says where it came from in the error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SourceError(f"{name}: not UTF-8 text (byte {e.start} cannot be decoded)") from e
    return text.removeprefix("\ufeff")


@dataclass
class Analysis:
    """A bound file: its schema (with what it imports) and the findings located in this file."""

    path: str
    source: SourceFile
    schema: Schema
    findings: list[Finding] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


class Workspace:
    """All files of a project. Open documents (from an editor) shadow the files on disk."""

    def __init__(self) -> None:
        self.files: dict[str, SourceFile] = {}
        self.open_documents: set[str] = set()
        self._disk_stamp: dict[str, float] = {}
        self._link_caches: dict[str, LinkCache] = {}

    # ------------------------------------------------------------ documents

    def open(self, path: str, text: str, version: int | None = None) -> SourceFile:
        path = normalize(path)
        self.open_documents.add(path)
        source = self.files.get(path)
        if source is None:
            source = self.files[path] = SourceFile(path, text, version)
        else:
            source.set_text(text, version)
        return source

    def close(self, path: str) -> None:
        path = normalize(path)
        self.open_documents.discard(path)
        self.files.pop(path, None)
        self._disk_stamp.pop(path, None)

    def forget(self, path: str) -> None:
        """Drop a file read from disk so that it is read again (it changed on disk)."""
        path = normalize(path)
        if path not in self.open_documents:
            self.files.pop(path, None)
            self._disk_stamp.pop(path, None)

    def source(self, path: str) -> SourceFile:
        """The file's current text: the open document, else the file on disk (re-read when changed)."""
        path = normalize(path)
        source = self.files.get(path)
        if path in self.open_documents and source is not None:
            return source
        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            stamp = None
        if source is not None and self._disk_stamp.get(path) == stamp:
            return source
        text = read_source(path)
        if source is None:
            source = self.files[path] = SourceFile(path, text)
        else:
            source.set_text(text)
        self._disk_stamp[path] = stamp
        return source

    # ------------------------------------------------------------ analysis

    def analyze(self, path: str) -> Analysis:
        with gc_paused():
            return self._analyze(normalize(path))

    def _analyze(self, path: str) -> Analysis:
        source = self.source(path)
        findings = source.local_findings()
        decls, imported, import_findings = self._visible_decls(source)
        findings.extend(import_findings)
        cache = self._link_caches.setdefault(path, LinkCache())
        schema, link_findings = link(decls, cache)
        findings.extend(f for f in link_findings if f.span is not None and f.span.file == path)
        findings.sort(key=Finding.sort_key)
        return Analysis(path, source, schema, findings, imported)

    def _visible_decls(self, source: SourceFile) -> tuple[list[Decl], list[str], list[Finding]]:
        findings: list[Finding] = []
        imported: list[str] = []
        own = source.decls()
        visible: list[Decl] = [d for d in own if d.kind != "use"]
        seen_ids = {id(d) for d in visible}
        for decl in own:
            if decl.kind != "use":
                continue
            _reuse, rel_path, path_span, items = decl.imports
            target = resolve_import(source.path, rel_path)
            if target is None:
                findings.append(error("E118", f"cannot find '{rel_path}' (looked for it next to this file)", path_span))
                continue
            imported.append(target)
            try:
                exports = self._exports(target, {source.path})
            except SourceError as e:
                findings.append(error("E118", str(e), path_span))
                continue
            errors = [f for f in self.source(target).local_findings() if f.severity is Severity.ERROR]
            if errors:
                findings.append(warning("E118", f"'{rel_path}' has {len(errors)} error(s) of its own", path_span))
            for d in _select(exports, items, findings):
                if id(d) not in seen_ids:
                    seen_ids.add(id(d))
                    visible.append(d)
        return visible, imported, findings

    def _exports(self, path: str, visiting: set[str]) -> list[Decl]:
        """What a file offers to importers: its own elements and what it `reuse`s (transitively)."""
        if path in visiting:
            return []
        visiting = visiting | {path}
        source = self.source(path)
        out = [d for d in source.decls() if d.kind != "use"]
        for decl in source.decls():
            if decl.kind == "use" and decl.imports[0]:
                target = resolve_import(path, decl.imports[1])
                if target is not None:
                    try:
                        out.extend(_select(self._exports(target, visiting), decl.imports[3], []))
                    except SourceError:
                        continue
        return out


IMPORT_KINDS = {"table", "enum", "tablepartial", "note", "schema", "tablegroup"}
DECL_KIND_OF = {"table": "table", "enum": "enum", "tablepartial": "partial", "note": "note", "tablegroup": "group"}


def _select(exports: list[Decl], items: tuple | None, findings: list[Finding]) -> Iterable[Decl]:
    """The exported declarations that a `use { ... }` list names (all of them for `use *`)."""
    if items is None:
        return exports
    chosen: list[Decl] = []
    tables: set[tuple[str, str]] = set()
    for kind, parts, alias, span in items:
        if kind not in IMPORT_KINDS:
            findings.append(
                error(
                    "E119",
                    f"cannot import a '{kind}'; import a table, enum, tablepartial, note, schema or tablegroup",
                    span,
                )
            )
            continue
        matched = [d for d in exports if _matches(d, kind, parts)]
        if not matched:
            findings.append(error("E119", f"the imported file has no {kind} '{'.'.join(parts)}'", span))
            continue
        for d in matched:
            if alias is not None:
                d = _aliased(d, alias)
            chosen.append(d)
            if d.kind == "table":
                tables.add(d.element.key)
    # refs and records come along with the tables they connect
    for d in exports:
        if d.kind == "ref":
            refs = [r for r in d.refs if _ref_tables(r) <= {t[1] for t in tables} | {".".join(t) for t in tables}]
            if refs:
                chosen.append(replace(d, refs=refs, findings=[]))
        elif d.kind == "records" and ".".join(d.members[0].parts) in {t[1] for t in tables} | {
            ".".join(t) for t in tables
        }:
            chosen.append(d)
    return chosen


def _matches(decl: Decl, kind: str, parts: tuple[str, ...]) -> bool:
    if kind == "schema":
        return decl.kind in ("table", "enum") and decl.element.schema == parts[0]
    if decl.kind != DECL_KIND_OF[kind]:
        return False
    el = decl.element
    name = ".".join(parts)
    if decl.kind in ("table", "enum", "group"):
        return name in (el.name, f"{el.schema}.{el.name}")
    return el.name == name


def _aliased(decl: Decl, alias: str) -> Decl:
    el = decl.element
    if decl.kind == "table":
        return replace(decl, element=replace(el, alias=alias))
    return replace(decl, element=replace(el, name=alias))


def _ref_tables(raw) -> set[str]:
    out = set()
    for end in (raw.left, raw.right):
        parts = end.parts if end.tuple_columns is not None else end.parts[:-1]
        out.add(".".join(parts))
    return out


def resolve_import(importer: str, rel_path: str) -> str | None:
    base = Path(importer).parent
    candidate = (base / rel_path).resolve()
    for path in (candidate, candidate.with_name(candidate.name + ".dbml")):
        if path.is_file():
            return str(path)
    return None


def normalize(path: str) -> str:
    return os.path.abspath(path)
