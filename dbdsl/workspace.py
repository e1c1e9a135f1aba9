"""Documents, their blocks and caches, imports between files, and analysis. Knows nothing about LSP.

A `SourceFile` keeps its text split into top-level blocks. Each block entry holds an `Anchor` (where
the block sits now), its parse (cached by text) and its declarations. An edit re-splits only the
region it touches; unchanged blocks keep their entries and only their anchors move. Analysis of a
file links the declarations of its blocks and of what it imports (`use`/`reuse`) into one Schema.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, Severity
from .gcpause import gc_paused
from .model.declare import Decl, declare
from .model.errors import error
from .model.fragments import fragment_findings
from .model.link import LinkCache, link
from .model.schema import Schema
from .model.spans import Anchor, Span
from .modules import ModuleGraph, visible_decls
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
        after = bisect_left(entries, end, key=_offset)  # the first entry that starts at or after the edit's end
        new_entries = entries[:first]
        for e in entries[first:after]:
            old[e.text].append(e)
        pos = skip_layout(text, resume_from)
        line, column = _advance(text, resume_from, pos, line, column)
        n = len(text)
        tail: list[BlockEntry] = []
        edit_end = start + len(new_text)
        while pos < n:
            if pos >= edit_end and "\n" in text[edit_end:pos]:
                index = bisect_left(entries, pos - delta, lo=after, key=_offset)
                if index < len(entries) and entries[index].anchor.offset == pos - delta:
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


def _offset(entry: BlockEntry) -> int:
    return entry.anchor.offset


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
        self._disk_stamp: dict[str, int | None] = {}
        self._link_caches: dict[str, LinkCache] = {}
        self._import_memos: dict[str, dict] = {}  # per importing file: its imports as last rewritten

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
        findings.extend(fragment_findings(schema, path))
        findings.sort(key=Finding.sort_key)
        return Analysis(path, source, schema, findings, imported)

    def _visible_decls(self, source: SourceFile) -> tuple[list[Decl], list[str], list[Finding]]:
        """The file's declarations and what it imports, in its own names (see `modules`)."""
        own = source.decls()
        uses = [d for d in own if d.kind == "use"]
        if not uses:
            return own, [], []
        findings: list[Finding] = []
        graph = ModuleGraph(lambda path: self.source(path).decls(), resolve_import, SourceError)
        memo = self._import_memos.setdefault(source.path, {})
        visible = visible_decls(graph, source.path, findings, memo)
        imported: list[str] = []
        for decl in uses:
            _reuse, rel_path, path_span, _items = decl.imports
            target = resolve_import(source.path, rel_path)
            if target is None or target in imported:
                continue
            imported.append(target)
            try:
                errors = [f for f in self.source(target).local_findings() if f.severity is Severity.ERROR]
            except SourceError:
                continue
            if errors:
                findings.append(error("E118", f"'{rel_path}' has {len(errors)} error(s) of its own", path_span))
        return visible, imported, findings


def resolve_import(importer: str, rel_path: str) -> str | None:
    """The file a `use` names, or None when there is none (a path no file system can hold, with a NUL
    or a lone surrogate in it, names none either)."""
    base = Path(importer).parent
    try:
        candidate = (base / rel_path).resolve()
        for path in (candidate, candidate.with_name(candidate.name + ".dbml")):
            if path.is_file():
                return str(path)
    except (ValueError, OSError):
        return None
    return None


def normalize(path: str) -> str:
    return os.path.abspath(path)
