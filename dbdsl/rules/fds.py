"""N2xx: exact normal-form checks from declared functional dependencies (`dependencies { }`).

The dependencies of a table are its declared ones plus one per key (the primary key and every
unique constraint determine all columns). From them: candidate keys, 2NF/3NF/BCNF violations named
by the declared dependency at fault, a non-minimal primary key, keys the table does not declare,
redundant declarations, and the "decompose to 3NF" fix (Bernstein synthesis) that writes the new
tables and relationships into the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..analysis.words import collection, singular
from ..emit import dsl
from ..model.schema import Dependency, Endpoint, Index, IndexKey, Ref, Table
from . import fixes
from .base import FixSpec, Hit, hit, rule
from .fd import (
    FD,
    Relation,
    Violation,
    candidate_keys,
    implies,
    mask_of,
    minimise_key,
    names_of,
    synthesize_3nf,
    violations,
)
from .usage import column_uses

if TYPE_CHECKING:
    from .engine import Context


@dataclass
class TableFDs:
    attrs: tuple[str, ...]
    index: dict[str, int]
    universe: int
    declared: list[tuple[Dependency, int, int]]
    key_fds: list[FD]
    fds: list[FD]
    keys: list[int]
    found: list[Violation] | None = None

    def names(self, mask: int) -> tuple[str, ...]:
        return names_of(mask, self.attrs)

    def text(self, mask: int) -> str:
        names = self.names(mask)
        return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"


def table_fds(ctx: Context, table: Table) -> TableFDs | None:
    """The dependency facts of a table with declared dependencies (None without any)."""
    if not table.dependencies:
        return None
    key = ("fds", id(table))
    if key in ctx.memo:
        return ctx.memo[key]
    attrs = tuple(c.name for c in table.columns)
    index = {a: i for i, a in enumerate(attrs)}
    universe = (1 << len(attrs)) - 1
    declared = []
    for dep in table.dependencies:
        if all(c in index for c in dep.left + dep.right) and dep.left:
            declared.append((dep, mask_of(dep.left, index), mask_of(dep.right, index)))
    key_fds = [(mask_of(k, index), universe) for k in ctx.facts(table).keys if all(c in index for c in k)]
    fds = [(left, right) for _d, left, right in declared] + key_fds
    info = TableFDs(attrs, index, universe, declared, key_fds, fds, candidate_keys(universe, fds)) if attrs else None
    ctx.memo[key] = info
    return info


def _all_violations(info: TableFDs) -> list[Violation]:
    if info.found is None:
        info.found = violations(info.universe, info.fds, info.keys)
    return info.found


def _per_dependency(ctx: Context, table: Table, form: str) -> Iterator[Hit]:
    info = table_fds(ctx, table)
    if info is None:
        return
    found = [v for v in _all_violations(info) if v.form == form]
    if not found:
        return
    decomposition = None
    if form in ("2NF", "3NF"):
        decomposition = decompose_fix(ctx, table, info)
    keys_text = " or ".join(info.text(k) for k in info.keys)
    for dep, left, right in info.declared:
        bad = 0
        for v in found:
            if v.left == left:
                bad |= v.right & right
        if not bad:
            continue
        lhs, rhs = info.text(left), ", ".join(info.names(bad))
        verb = "depends" if len(info.names(bad)) == 1 else "depend"
        if form == "2NF":
            part = next(info.text(k) for k in info.keys if left & ~k == 0 and left != k)
            message = (
                f"2NF violation: {lhs} -> {rhs}: {rhs} {verb} on {lhs}, only part of the key {part} "
                "(a partial dependency)"
            )
        elif form == "3NF":
            message = (
                f"3NF violation: {lhs} -> {rhs}: {lhs} is not a key (keys: {keys_text}), so {rhs} {verb} on "
                "the key only through it (a transitive dependency)"
            )
        else:
            message = (
                f"BCNF violation: {lhs} -> {rhs}: {lhs} is not a key (keys: {keys_text}) yet determines "
                f"{rhs}, part of a key"
            )
        if decomposition is not None:
            yield hit(message, dep.span, decomposition)
        else:
            yield hit(message, dep.span)


@rule(
    "N201",
    "second-normal-form",
    severity="warning",
    summary="Declared dependency on part of a candidate key (2NF violation)",
    rationale="""A non-key attribute that depends on a proper part of a candidate key repeats for every
    row sharing that part and can contradict itself. The fix decomposes the table into third normal
    form: one table per determining column set, linked by relationships, without losing rows or
    dependencies.""",
    bad="""
    Table order_items {
      order_id int
      product_id int
      product_name varchar(200) [not null]
      quantity int [not null]
      indexes {
        (order_id, product_id) [pk]
      }
      dependencies {
        product_id -> product_name
      }
    }
    """,
    good="""
    Table order_items {
      order_id int
      product_id int
      quantity int [not null]
      indexes {
        (order_id, product_id) [pk]
      }
      dependencies {
        (order_id, product_id) -> quantity
      }
    }
    """,
    fix="unsafe",
)
def second_normal_form(ctx: Context, table: Table) -> Iterator[Hit]:
    yield from _per_dependency(ctx, table, "2NF")


@rule(
    "N202",
    "third-normal-form",
    severity="warning",
    summary="Declared dependency between non-key columns (3NF violation, transitive dependency)",
    rationale="""When a non-key column determines other non-key columns (zip_code -> city, state), those
    depend on the key only transitively: every row repeats the fact and updates can leave rows that
    disagree. The fix decomposes the table into third normal form (Bernstein synthesis: lossless and
    dependency preserving) and writes the new tables and relationships.""",
    bad="""
    Table customers {
      id int [pk]
      name varchar(100) [not null]
      zip_code varchar(10)
      city varchar(100)
      state varchar(50)
      dependencies {
        zip_code -> city, state
      }
    }
    """,
    good="""
    Table customers {
      id int [pk]
      name varchar(100) [not null]
      zip_code varchar(10) [ref: > zip_codes.zip_code]
      indexes {
        zip_code
      }
    }
    Table zip_codes {
      zip_code varchar(10) [pk]
      city varchar(100)
      state varchar(50)
    }
    """,
    fix="unsafe",
)
def third_normal_form(ctx: Context, table: Table) -> Iterator[Hit]:
    yield from _per_dependency(ctx, table, "3NF")


@rule(
    "N203",
    "boyce-codd-normal-form",
    severity="info",
    summary="Declared dependency whose left side is not a key but determines part of a key (BCNF violation)",
    rationale="""In third normal form but not in Boyce-Codd normal form: a non-key column set determines a
    prime attribute. Some redundancy remains; a BCNF decomposition would remove it but cannot always
    preserve every dependency, so this is reported for a decision rather than fixed.""",
    bad="""
    Table lessons {
      student varchar(50)
      course varchar(50)
      teacher varchar(50) [not null]
      indexes {
        (student, course) [pk]
      }
      dependencies {
        teacher -> course
      }
    }
    """,
    good="""
    Table teachers {
      teacher varchar(50) [pk]
      course varchar(50) [not null]
    }
    Table lessons {
      student varchar(50)
      teacher varchar(50) [ref: > teachers.teacher]
      indexes {
        (student, teacher) [pk]
        teacher
      }
    }
    """,
)
def boyce_codd(ctx: Context, table: Table) -> Iterator[Hit]:
    yield from _per_dependency(ctx, table, "BCNF")


@rule(
    "N204",
    "non-minimal-primary-key",
    severity="warning",
    summary="Primary key with a column that the declared dependencies make unnecessary",
    rationale="""If part of the primary key already determines every column, the key is not minimal: the
    extra column lets the same entity appear twice with different values of it. Key the table by the
    smaller candidate key.""",
    bad="""
    Table enrolments {
      student_id int
      term varchar(10)
      student_name varchar(100)
      indexes {
        (student_id, term) [pk]
      }
      dependencies {
        student_id -> term, student_name
      }
    }
    """,
    good="""
    Table enrolments {
      student_id int [pk]
      term varchar(10)
      student_name varchar(100)
      dependencies {
        student_id -> term, student_name
      }
    }
    """,
)
def non_minimal_pk(ctx: Context, table: Table) -> Iterator[Hit]:
    info = table_fds(ctx, table)
    pk = table.primary_key
    if info is None or len(pk) < 2 or any(c not in info.index for c in pk):
        return
    mask = mask_of(pk, info.index)
    smaller = minimise_key(mask, info.fds, info.universe)
    if smaller != mask:
        span = next((i.span for i in table.indexes if i.pk and i.span), None) or table.name_span
        yield hit(
            f"the primary key {info.text(mask)} is not minimal: {info.text(smaller)} already determines every column",
            span,
        )


@rule(
    "N205",
    "redundant-dependency",
    severity="info",
    summary="Declared dependency that is trivial or follows from the keys and the other dependencies",
    rationale="""A dependency implied by the others (or by a key) adds nothing and makes the list harder to
    read and keep right; `a -> a` is trivial.""",
    bad="""
    Table customers {
      id int [pk]
      zip_code varchar(10)
      city varchar(100)
      dependencies {
        zip_code -> city
        id -> city
      }
    }
    """,
    good="""
    Table customers {
      id int [pk]
      zip_code varchar(10)
      city varchar(100)
      dependencies {
        zip_code -> city
      }
    }
    """,
    fix="safe",
)
def redundant_dependency(ctx: Context, table: Table) -> Iterator[Hit]:
    info = table_fds(ctx, table)
    if info is None:
        return
    for n, (dep, left, right) in enumerate(info.declared):
        others = [(lft, rgt) for k, (_d, lft, rgt) in enumerate(info.declared) if k != n] + info.key_fds
        redundant = right & left
        for i in range(len(info.attrs)):
            bit = 1 << i
            if right & bit and not redundant & bit and implies(others, (left, bit)):
                redundant |= bit
        if not redundant:
            continue
        keep = [c for c in dep.right if not (redundant >> info.index[c] & 1)]
        gone = ", ".join(info.names(redundant))
        why = "trivial" if right & left == redundant else "implied by the keys and the other dependencies"
        message = f"{info.text(left)} -> {gone} is {why}"
        if dep.span is None or not fixes.own(table, dep.span):
            yield hit(message, dep.span)
            continue
        if keep:
            lhs = dsl.name(dep.left[0]) if len(dep.left) == 1 else "(" + ", ".join(dsl.name(c) for c in dep.left) + ")"
            edit = fixes.Edit(dep.span, f"{lhs} -> {', '.join(dsl.name(c) for c in keep)}")
            yield hit(message, dep.span, fixes.fix(f"Remove {gone} from the dependency", edit))
        else:
            yield hit(message, dep.span, fixes.fix("Remove the dependency", fixes.delete_lines(dep.span)))


@rule(
    "N206",
    "undeclared-candidate-key",
    severity="warning",
    summary="Candidate key (from the declared dependencies) without a unique constraint",
    rationale="""When the dependencies say a column set determines every column, it identifies a row: a
    candidate key. Without a unique constraint the database accepts two rows with the same key and
    the dependency silently stops holding.""",
    bad="""
    Table accounts {
      id int [pk]
      login varchar(50) [not null]
      display_name varchar(100)
      dependencies {
        login -> id, display_name
      }
    }
    """,
    good="""
    Table accounts {
      id int [pk]
      login varchar(50) [not null, unique]
      display_name varchar(100)
      dependencies {
        login -> id, display_name
      }
    }
    """,
    fix="unsafe",
)
def undeclared_key(ctx: Context, table: Table) -> Iterator[Hit]:
    info = table_fds(ctx, table)
    if info is None:
        return
    declared = {mask for mask, _u in info.key_fds}
    for key in info.keys:
        if key in declared:
            continue
        cols = info.names(key)
        text = info.text(key)
        dep = next((d for d, left, _r in info.declared if left & ~key == 0), None)
        span = dep.span if dep is not None else table.name_span
        message = f"{text} is a candidate key (it determines every column) but has no unique constraint"
        if len(cols) == 1:
            column = table.column(cols[0])
            if column is not None and fixes.editable_column(table, column):
                edit = fixes.rewrite_settings(column, add=["unique"], first=False)
                yield hit(message, span, fixes.fix(f"Make '{cols[0]}' unique", edit))
                continue
        elif fixes.own(table, table.span):
            line = "(" + ", ".join(dsl.name(c) for c in cols) + ") [unique]"
            yield hit(message, span, fixes.fix(f"Add a unique index on {text}", fixes.add_index(table, line)))
            continue
        yield hit(message, span)


# ------------------------------------------------------------------ decomposition


@dataclass
class Decomposition:
    """What the 3NF synthesis makes of a table, in model terms."""

    kept: tuple[str, ...]  # columns the original table keeps
    tables: list[Table]  # the new tables
    refs: list[Ref]  # relationships to write (from the original or between new tables)
    dropped_dependencies: list[Dependency]


def decompose(ctx: Context, table: Table, info: TableFDs) -> Decomposition | None:
    relations = synthesize_3nf(info.universe, info.fds, info.keys)
    pk = table.primary_key
    pk_mask = mask_of(pk, info.index) if pk and all(c in info.index for c in pk) else 0
    main = _main_relation(relations, info, pk_mask)
    if main is None or len(relations) < 2:
        return None
    others = [r for r in relations if r is not main]
    taken = set(ctx.table_names)
    new_tables: list[Table] = []
    keyed: list[tuple[Relation, Table]] = []
    for r in others:
        name = _table_name(info.names(r.key), taken, ctx.table_names)
        taken.add(name.lower())
        key_cols = info.names(r.key)
        columns = []
        for attr in info.names(r.attrs):
            original = table.column(attr)
            assert original is not None  # the attributes are the table's columns
            in_key = attr in key_cols
            columns.append(
                replace(
                    original,
                    pk=in_key and len(key_cols) == 1,
                    unique=False,
                    increment=False,
                    not_null=None if in_key else original.not_null,
                    checks=(),
                    renamed_from=None,
                    settings=(),
                    from_partial=None,
                )
            )
        columns.sort(key=lambda c: (c.name not in key_cols, info.index[c.name]))
        indexes: tuple[Index, ...] = ()
        if len(key_cols) > 1:
            indexes = (Index(tuple(IndexKey("column", c) for c in key_cols), pk=True),)
        new = Table(name=name, schema=table.schema, columns=tuple(columns), indexes=indexes)
        new_tables.append(new)
        keyed.append((r, new))
    refs: list[Ref] = []
    holders = [(main, table.name)] + [(r, t.name) for r, t in keyed]
    for holder, holder_name in holders:
        for r, target in keyed:
            if r is holder or r.key == holder.key or r.key & ~holder.attrs:
                continue
            cols = info.names(r.key)
            refs.append(
                Ref(Endpoint(table.schema, holder_name, cols, "*"), ">", Endpoint(table.schema, target.name, cols, "1"))
            )
    kept = info.names(main.attrs)
    dropped = [d for d, left, right in info.declared if (left | right) & ~main.attrs]
    return Decomposition(kept, new_tables, refs, dropped)


def _main_relation(relations: list[Relation], info: TableFDs, pk_mask: int) -> Relation | None:
    """The relation that keeps the table's name: the one holding the primary key, else any key."""
    if pk_mask:
        holding = [r for r in relations if pk_mask & ~r.attrs == 0]
        if holding:
            return max(holding, key=lambda r: bin(r.attrs).count("1"))
        return None
    holding = [r for r in relations if any(k & ~r.attrs == 0 for k in info.keys)]
    return max(holding, key=lambda r: bin(r.attrs).count("1")) if holding else None


def _table_name(key_cols: tuple[str, ...], taken: set[str], table_names: Iterable[str]) -> str:
    if len(key_cols) == 1:
        base = key_cols[0]
        low = base.lower()
        for suffix in ("_id", "_key", "_no"):
            if low.endswith(suffix) and len(low) > len(suffix):
                base = base[: -len(suffix)]
                break
        wanted = collection(base, table_names)
    else:
        wanted = "_".join(singular(c) for c in key_cols[:-1]) + "_" + collection(key_cols[-1], table_names)
    name, n = wanted, 2
    while name.lower() in taken:
        name = f"{wanted}_{n}"
        n += 1
    return name


def decompose_fix(ctx: Context, table: Table, info: TableFDs) -> FixSpec | None:
    """The "decompose to 3NF" fix, when the table can be rewritten mechanically."""
    key = ("decompose", id(table))
    if key in ctx.memo:
        return ctx.memo[key]
    ctx.memo[key] = None
    if table.records or not fixes.own(table, table.span) or table.body is None:
        return None
    plan = decompose(ctx, table, info)
    if plan is None:
        return None
    dropped_cols = [c for c in table.columns if c.name not in plan.kept]
    if not dropped_cols:
        return None
    for column in dropped_cols:
        if not fixes.editable_column(table, column):
            return None
        uses = [u for u in column_uses(ctx, table, column.name) if u != "a dependency"]
        if uses:
            return None
    unit = fixes.unit_indent(table)
    edits = [fixes.delete_lines(c.span) for c in dropped_cols if c.span is not None]
    edits.extend(_dependency_edits(table, plan.dropped_dependencies))
    blocks = [dsl.table_block(t, indent=unit) for t in plan.tables] + [dsl.ref_line(r) for r in plan.refs]
    edits.append(fixes.after_table(table, blocks))
    names = ", ".join(t.name for t in plan.tables)
    spec = fixes.fix(f"Decompose '{table.name}' into 3NF (new: {names})", *edits)
    ctx.memo[key] = spec
    return spec


def _dependency_edits(table: Table, dropped: list[Dependency]) -> list[fixes.Edit]:
    if not dropped:
        return []
    one_by_one = [fixes.delete_lines(d.span) for d in dropped if d.span is not None]
    if len(dropped) < len(table.dependencies):
        return one_by_one
    # every dependency goes: remove the whole `dependencies { }` block when it can be found
    first, last = table.dependencies[0].span, table.dependencies[-1].span
    if first is None or last is None:
        return one_by_one
    text = first.anchor.text
    start = text.rfind("dependencies", 0, first.start)
    end = text.find("}", last.end)
    if start < 0 or end < 0 or not _only_layout(text[start + len("dependencies") : first.start], "{"):
        return one_by_one
    return [fixes.delete_lines(first.sub(start, end + 1))]


def _only_layout(text: str, opener: str) -> bool:
    return text.replace(opener, "", 1).strip() == ""
