"""What a file sees of other files through `use` and `reuse`, as the official DBML compiler has it.

Every element (table, enum, partial, sticky note, table group) has an identity: the file that declares
it, its kind and its name there. A file offers its own elements and what it `reuse`s; it sees its own
elements and everything it `use`s or `reuse`s, each under a local name: the name it is imported as
(`table users as u` makes the table `u`, without a schema; `schema auth as a` moves the schema's tables
and enums to schema `a`). Only local names can be used: after `use { table users as u }`, `users` is
unknown. One element imported under two names is one element with two names (the first is its name in
the model and in SQL); two different elements under one name are an error.

Declarations imported into a file are rewritten into that file's names: the element is renamed, and
its refs, partial injections, enum types and records targets point at local names. The refs and
records of the files that imported elements come from come along when every table they name is seen.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, NamedTuple

from .findings import Finding, Related
from .model.declare import Decl, ImportItem, Injection, NamedRef, RawEndpoint, RawRef
from .model.errors import error
from .model.schema import DEFAULT_SCHEMA, Column, ColumnType, Literal
from .model.spans import Span

IMPORT_KINDS = ("table", "enum", "tablepartial", "note", "schema", "tablegroup")
KIND_OF_DECL = {"table": "table", "enum": "enum", "partial": "tablepartial", "note": "note", "group": "tablegroup"}
Key = tuple[str, str]  # (schema, name); elements without a schema use DEFAULT_SCHEMA
Identity = tuple[str, str, Key]  # (file that declares it, kind, key there)


class Offer(NamedTuple):
    """An element as a file offers or sees it: under `local`, brought by the import item at `span`
    (None for the file's own elements); `star` when every import on the way was `use *`."""

    identity: Identity
    decl: Decl
    local: Key
    span: Span | None = None
    star: bool = True

    @property
    def kind(self) -> str:
        return self.identity[1]


def element_key(decl: Decl) -> Key:
    el = decl.element
    if decl.kind in ("table", "enum"):
        return (el.schema, el.name)
    return (DEFAULT_SCHEMA, el.name)


def name_parts(key: Key) -> tuple[str, ...]:
    """How a key is written: `name`, `schema.name` (a dotted schema is written as it reads)."""
    schema, name = key
    return (name,) if schema == DEFAULT_SCHEMA else (*schema.split("."), name)


def parts_key(parts: tuple[str, ...]) -> Key:
    return (".".join(parts[:-1]) or DEFAULT_SCHEMA, parts[-1])


@dataclass
class Namespace:
    """The elements one file sees, by local name."""

    path: str
    offers: list[Offer] = field(default_factory=list)
    by_name: dict[tuple[str, Key], Offer] = field(default_factory=dict)
    aliases: dict[str, Identity] = field(default_factory=dict)  # table aliases (`Table users as U`)
    local_of: dict[Identity, Key] = field(default_factory=dict)  # the first local name of each element

    def add(self, offer: Offer) -> Offer | None:
        """Add an element; returns the element already seen under the same name, if a different one."""
        slot = (offer.kind, offer.local)
        seen = self.by_name.get(slot)
        if seen is not None:
            return seen if seen.identity != offer.identity else None
        self.by_name[slot] = offer
        self.offers.append(offer)
        self.local_of.setdefault(offer.identity, offer.local)
        alias = offer.decl.element.alias if offer.kind == "table" else None
        if alias is not None and offer.star:
            self.aliases.setdefault(alias, offer.identity)
        return None

    def table(self, parts: tuple[str, ...]) -> Identity | None:
        if len(parts) == 1 and parts[0] in self.aliases:
            return self.aliases[parts[0]]
        return self.lookup("table", parts_key(parts))

    def lookup(self, kind: str, key: Key) -> Identity | None:
        offer = self.by_name.get((kind, key))
        return offer.identity if offer is not None else None


class ModuleGraph:
    """Exports and namespaces of the files one analysis reaches, computed once each."""

    def __init__(
        self,
        decls_of: Callable[[str], list[Decl]],
        resolve: Callable[[str, str], str | None],
        unreadable: type[Exception],
    ) -> None:
        self._decls_of = decls_of  # raises `unreadable` for a missing or unreadable file
        self.resolve = resolve
        self.unreadable = unreadable
        self._decls: dict[str, list[Decl]] = {}
        self._own: dict[str, list[Offer]] = {}
        self._busy: set[str | tuple[str, str]] = (
            set()
        )  # files whose exports (path) or namespace (('ns', path)) are being computed
        self._cut = False  # a cycle was cut while computing the current exports
        self._exports: dict[str, list[Offer]] = {}
        self._namespaces: dict[str, Namespace] = {}

    # ------------------------------------------------------------ what a file offers and sees

    def decls_of(self, path: str) -> list[Decl]:
        got = self._decls.get(path)
        if got is None:
            got = self._decls[path] = self._decls_of(path)
        return got

    def own_offers(self, path: str) -> list[Offer]:
        got = self._own.get(path)
        if got is None:
            got = self._own[path] = [
                Offer((path, KIND_OF_DECL[d.kind], element_key(d)), d, element_key(d))
                for d in self.decls_of(path)
                if d.kind in KIND_OF_DECL and d.element is not None and d.element.name
            ]
        return got

    def exports(self, path: str) -> list[Offer]:
        """Own elements and what the file `reuse`s, transitively. Where `reuse`s close a cycle, the file
        being computed offers nothing more; what was computed while a cycle was cut is not kept."""
        if path in self._exports:
            return self._exports[path]
        if path in self._busy:
            self._cut = True
            return []
        self._busy.add(path)
        cut_before, self._cut = self._cut, False
        out = list(self.own_offers(path))
        try:
            for decl in self.decls_of(path):
                if decl.kind != "use" or not decl.imports[0]:
                    continue
                target = self.resolve(path, decl.imports[1])
                if target is None:
                    continue
                try:
                    offered = self.exports(target)
                except self.unreadable:  # an unreadable file offers nothing; its importer reports it
                    continue
                out.extend(o for o, _ in select(self, offered, decl.imports[3], []))
        finally:
            self._busy.discard(path)
        if not self._cut or not self._busy:
            self._exports[path] = out
        self._cut = self._cut or cut_before
        return out

    def namespace(self, path: str, findings: list[Finding] | None = None) -> Namespace:
        """What `path` sees. Problems of its imports go to `findings` (for the file being analyzed)."""
        if findings is None and path in self._namespaces:
            return self._namespaces[path]
        if ("ns", path) in self._busy:  # asked again while being computed (a group in a cycle)
            return Namespace(path)
        self._busy.add(("ns", path))
        try:
            return self._namespace(path, findings)
        finally:
            self._busy.discard(("ns", path))

    def _namespace(self, path: str, findings: list[Finding] | None) -> Namespace:
        sink: list[Finding] = [] if findings is None else findings
        ns = Namespace(path)
        for offer in self.own_offers(path):
            ns.add(offer)
        for decl in self.decls_of(path):
            if decl.kind != "use":
                continue
            _reuse, rel_path, path_span, items = decl.imports
            target = self.resolve(path, rel_path)
            if target is None:
                sink.append(error("E118", f"cannot find '{rel_path}' (looked for it next to this file)", path_span))
                continue
            try:
                offered = self.exports(target)
            except self.unreadable as e:
                sink.append(error("E118", str(e), path_span))
                continue
            for offer, span in select(self, offered, items, sink):
                offer = Offer(offer.identity, offer.decl, offer.local, span or path_span, offer.star)
                clash = ns.add(offer)
                if clash is not None:
                    _report_clash(offer, clash, sink)
        self._namespaces[path] = ns
        return ns


def select(
    graph: ModuleGraph, offered: list[Offer], items: Sequence[ImportItem] | None, findings: list[Finding]
) -> list[tuple[Offer, Span | None]]:
    """(offer, import item span) for what a `use` names: everything for `use *`; for a list, each
    item renamed by its alias, a schema with all its tables and enums, a table group with its tables."""
    if items is None:
        return [(o, None) for o in offered]
    chosen: list[tuple[Offer, Span | None]] = []
    for kind, parts, alias, span in items:
        if kind not in IMPORT_KINDS:
            findings.append(
                error("E119", f"cannot import a '{kind}'; import a {', '.join(IMPORT_KINDS[:-1])} or tablegroup", span)
            )
            continue
        if kind == "schema":
            schema = ".".join(parts)
            matched = [o for o in offered if o.kind in ("table", "enum") and o.local[0] == schema]
            for o in matched:
                local = (alias, o.local[1]) if alias is not None else o.local
                chosen.append((o._replace(local=local, star=False), span))
        else:
            wanted = parts_key(parts)
            matched = [o for o in offered if o.kind == kind and o.local == wanted]
            for o in matched:
                local = (DEFAULT_SCHEMA, alias) if alias is not None else o.local
                chosen.append((o._replace(local=local, star=False), span))
                if kind == "tablegroup":
                    chosen.extend((m, span) for m in _group_tables(graph, o, offered))
        if not matched:
            findings.append(error("E119", f"the imported file has no {kind} '{'.'.join(parts)}'", span))
    return chosen


def _group_tables(graph: ModuleGraph, group: Offer, offered: list[Offer]) -> list[Offer]:
    """The tables of an imported table group come with it, under the names they are offered by."""
    home = graph.namespace(group.identity[0])
    by_identity = {o.identity: o for o in offered if o.kind == "table"}
    out = []
    for member in group.decl.members:
        identity = home.table(member.parts)
        if identity in by_identity:
            out.append(by_identity[identity]._replace(star=False))
    return out


def _report_clash(offer: Offer, seen: Offer, findings: list[Finding]) -> None:
    assert offer.span is not None  # an imported element carries the span of its import
    where = seen.span or seen.decl.element.span
    related = (Related(where, f"the {seen.kind} already named '{'.'.join(name_parts(seen.local))}' here"),)
    findings.append(
        error(
            "E105",
            f"{offer.kind} '{'.'.join(name_parts(offer.local))}' is already defined; import it under another name "
            "with 'as'",
            offer.span,
            related=related if where is not None else (),
        )
    )


# ---------------------------------------------------------------- the declarations a file links


class _Rewritten(NamedTuple):
    """An imported declaration as rewritten for the importer, with what it was rewritten from."""

    original: Decl
    how: tuple[Hashable, ...]  # what the rewriting depended on besides the original
    decl: Decl | None
    findings: list[Finding]


def visible_decls(
    graph: ModuleGraph, path: str, findings: list[Finding], memo: dict[str, Any] | None = None
) -> list[Decl]:
    """The file's own declarations, then what it imports rewritten into its names.

    `memo` (one dict per importing file, kept by the caller) holds the rewritten declarations of the
    previous analysis. While the names the file and the files it imports from see are the same, a
    declaration rewritten before is that very object again, so the linker's and the linter's caches
    (which go by identity) keep working and an edit does not rewrite every import."""
    own = [d for d in graph.decls_of(path) if d.kind != "use"]
    ns = graph.namespace(path, findings)
    imported = [o for o in ns.offers if o.span is not None and o.identity[0] != path]
    if not imported:
        return own
    homes: list[str] = []  # files whose refs and records may connect what is imported
    for decl in graph.decls_of(path):
        target = graph.resolve(path, decl.imports[1]) if decl.kind == "use" else None
        if target is not None and target != path and target not in homes:
            homes.append(target)
    for offer in imported:
        if offer.identity[0] not in homes:
            homes.append(offer.identity[0])
    signature = (
        tuple((o.kind, o.local, o.identity) for o in imported),
        tuple(_signature(graph.namespace(h)) for h in homes),
    )
    memo = memo if memo is not None else {}
    previous: dict[int, _Rewritten] = memo.get("made", {}) if memo.get("signature") == signature else {}
    made: dict[int, _Rewritten] = {}
    memo["signature"], memo["made"] = signature, made
    rename = _Renamer(graph, ns, findings)

    def rewritten(original: Decl, how: tuple[Hashable, ...], make: Callable[[], Decl | None]) -> Decl | None:
        key = id(original)
        hit = previous.get(key)
        if hit is not None and hit.original is original and hit.how == how:
            if hit.findings:
                findings.extend(hit.findings)
            made[key] = hit
            return hit.decl
        before = len(findings)
        decl = make()
        made[key] = _Rewritten(original, how, decl, findings[before:])
        return decl

    out = list(own)
    done: set[Identity] = set()
    for offer in imported:
        if offer.identity in done:
            out.append(Decl("name", (offer.kind, offer.local, ns.local_of[offer.identity])))
            continue
        done.add(offer.identity)
        element = rewritten(offer.decl, (offer.local, offer.star, offer.span), partial(rename.element, offer))
        if element is not None:  # always: an element is rewritten, never dropped
            out.append(element)
    for home in homes:
        try:
            home_decls = graph.decls_of(home)
        except graph.unreadable:
            continue
        for decl in home_decls:
            if decl.kind in ("ref", "records"):
                got = rewritten(decl, (home,), partial(rename.connector, decl, home))
                if got is not None:
                    out.append(got)
    return out


def _signature(ns: Namespace) -> tuple[Hashable, ...]:
    """What names mean in a namespace, to tell whether rewritten declarations still hold."""
    return (tuple((slot, o.identity) for slot, o in ns.by_name.items()), tuple(ns.aliases.items()))


class _Renamer:
    """Rewrites an imported declaration from the names of its file into the names of the importer."""

    def __init__(self, graph: ModuleGraph, ns: Namespace, findings: list[Finding]) -> None:
        self.graph = graph
        self.ns = ns
        self.findings = findings

    def table_parts(self, parts: tuple[str, ...], home: str) -> tuple[str, ...] | None:
        """A table named in `home`, as the importer names it (None when the importer does not see it)."""
        identity = self.graph.namespace(home).table(parts)
        local = self.ns.local_of.get(identity) if identity is not None else None
        return name_parts(local) if local is not None else None

    def connector(self, decl: Decl, home: str) -> Decl | None:
        """A `Ref` or top-level `Records` block of `home`, kept when the tables it names are all seen."""
        if decl.kind == "ref":
            refs = [r for r in (self.ref(r, home) for r in decl.refs) if r is not None]
            return replace(decl, refs=refs, findings=[], origin=home) if refs else None
        target = self.table_parts(decl.members[0].parts, home)
        if target is None:
            return None
        member = replace(decl.members[0], parts=target)
        return replace(decl, members=[member], findings=[], origin=home)

    def element(self, offer: Offer) -> Decl:
        decl = offer.decl
        home = offer.identity[0]
        schema, name = offer.local
        el = decl.element
        changes: dict[str, Any] = {}
        if decl.kind in ("table", "partial"):
            changes["refs"] = [r for r in (self.ref(r, home) for r in decl.refs) if r is not None]
            changes["injections"] = self._injections(offer)
            columns = tuple(self._column(c, home) for c in el.columns)
            if any(a is not b for a, b in zip(columns, el.columns)):
                el = replace(el, columns=columns)
        if decl.kind == "group":
            members = []
            for member in decl.members:
                parts = self.table_parts(member.parts, home)
                if parts is not None:
                    members.append(NamedRef(parts, member.span))
            changes["members"] = members
        if decl.kind == "table":
            el = replace(el, name=name, schema=schema, alias=el.alias if offer.star else None)
        elif decl.kind == "enum":
            el = replace(el, name=name, schema=schema)
        else:
            el = replace(el, name=name)
        return replace(decl, element=el, findings=[], origin=home, **changes)

    def ref(self, raw: RawRef, home: str) -> RawRef | None:
        left = raw.left if raw.inline else self._endpoint(raw.left, home)
        right = self._endpoint(raw.right, home)
        if left is None or right is None:
            return None
        if left is raw.left and right is raw.right:
            return raw
        return replace(raw, left=left, right=right)

    def _endpoint(self, end: RawEndpoint, home: str) -> RawEndpoint | None:
        columns: tuple[str, ...]
        if end.tuple_columns is not None:
            table, columns = end.parts, ()
        else:
            table, columns = end.parts[:-1], end.parts[-1:]
        if not table:  # a column of the same table
            return end
        parts = self.table_parts(table, home)
        if parts is None:
            return None
        if parts == table:
            return end
        new = (*parts, *columns)
        return replace(end, parts=new, part_spans=(end.span,) * len(new))

    def _injections(self, offer: Offer) -> list[Injection]:
        decl = offer.decl
        home = offer.identity[0]
        out = []
        for inj in decl.injections:
            identity = self.graph.namespace(home).lookup("tablepartial", (DEFAULT_SCHEMA, inj.name))
            local = self.ns.local_of.get(identity) if identity is not None else None
            if local is None:
                if identity is not None and offer.span is not None and offer.span.file == self.ns.path:
                    self.findings.append(
                        error(
                            "E104",
                            f"table '{decl.element.name}' uses table partial '{inj.name}'; "
                            f"import the partial too (tablepartial {inj.name})",
                            offer.span,
                        )
                    )
                continue
            out.append(inj if local[1] == inj.name else replace(inj, name=local[1]))
        return out

    def _column(self, column: Column, home: str) -> Column:
        """Enum types and enum defaults in the importer's names, when it sees the enum."""
        t = column.type
        changes: dict[str, Any] = {}
        local = self._enum_local((t.schema or DEFAULT_SCHEMA, t.name), home) if not t.args else None
        if local is not None and local != (t.schema or DEFAULT_SCHEMA, t.name):
            schema = None if local[0] == DEFAULT_SCHEMA else local[0]
            changes["type"] = ColumnType(local[1], schema, t.args, t.dims)
        default = column.default
        if default is not None and default.kind == "enum":
            prefix, _, value = default.value.rpartition(".")
            local = self._enum_local(parts_key(tuple(prefix.split("."))), home)
            if local is not None and local != parts_key(tuple(prefix.split("."))):
                changes["default"] = Literal("enum", ".".join((*name_parts(local), value)))
        return replace(column, **changes) if changes else column

    def _enum_local(self, key: Key, home: str) -> Key | None:
        identity = self.graph.namespace(home).lookup("enum", key)
        return self.ns.local_of.get(identity) if identity is not None else None
