"""Q: declared access patterns (`Query` blocks) checked against the schema and its indexes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..model.schema import Query
from . import fixes
from .access import Access, analyse
from .base import INDEXED_DIALECTS, QUERY, Hit, hit, rule
from .serving import key_text
from .sqltext import ParsedQuery, node_range, sql_offsets, sql_span

if TYPE_CHECKING:
    from .engine import Context

FREQUENCY_RE = re.compile(
    r"^\s*~?\s*[\d.,_]+\s*[kmb]?\s*(?:/|per|an?|every)\s*(?:[\d.]+\s*)?"
    r"(?:s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks"
    r"|mo|month|months|y|yr|year|years)\s*$",
    re.IGNORECASE,
)
TARGET_RE = re.compile(
    r"^\s*(?:<|<=|p\d+\s*)?\s*[\d.]+\s*(?:us|µs|ms|s|sec|secs|seconds|m|min|minutes)\s*$", re.IGNORECASE
)


@rule(
    "Q101",
    "query-syntax-error",
    severity="error",
    summary="Query whose SQL does not parse in the project's dialect",
    rationale="""A declared access pattern that is not valid SQL cannot be checked against the schema or
    the indexes, and would fail when the application runs it.""",
    bad="""
    Table orders {
      id int [pk]
    }
    Query broken {
      '''
      SELECT id FROM orders WHERE id = = 1
      '''
    }
    """,
    good="""
    Table orders {
      id int [pk]
    }
    Query by_id {
      '''
      SELECT id FROM orders WHERE id = :id
      '''
    }
    """,
    scope=QUERY,
)
def syntax_error(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    if parsed.error is None:
        if not parsed.statements and query.sql.strip():
            yield hit("the SQL holds no statement", query.sql_span or query.span)
        return
    message, start, end = parsed.error
    yield hit(f"SQL syntax error: {message}", sql_span(query, start, end))


def _problems(ctx: Context, query: Query, parsed: ParsedQuery, code: str) -> Iterator[Hit]:
    analysis = analyse(ctx, query, parsed)
    offsets = None
    for problem in analysis.problems:
        if problem.code != code:
            continue
        if offsets is None:
            offsets = sql_offsets(query)
        rng = node_range(problem.node)
        span = sql_span(query, *rng, offsets) if rng else (query.sql_span or query.span)
        yield hit(problem.message, span)


@rule(
    "Q102",
    "query-unknown-table",
    severity="error",
    summary="Query naming a table (or alias) that the schema does not define",
    rationale="""The access pattern reads a table the design does not have: a typo, a renamed table, or a
    table still missing from the schema.""",
    bad="""
    Table orders {
      id int [pk]
    }
    Query recent {
      '''
      SELECT id FROM order WHERE id = :id
      '''
    }
    """,
    good="""
    Table orders {
      id int [pk]
    }
    Query recent {
      '''
      SELECT id FROM orders WHERE id = :id
      '''
    }
    """,
    scope=QUERY,
)
def unknown_table(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    yield from _problems(ctx, query, parsed, "Q102")


@rule(
    "Q103",
    "query-unknown-column",
    severity="error",
    summary="Query naming a column that its table does not have",
    rationale="""The access pattern reads or filters a column the design does not have, so it cannot run
    and its index analysis is meaningless.""",
    bad="""
    Table orders {
      id int [pk]
      total decimal(12,2) [not null]
    }
    Query totals {
      '''
      SELECT o.id, o.amount FROM orders o WHERE o.id = :id
      '''
    }
    """,
    good="""
    Table orders {
      id int [pk]
      total decimal(12,2) [not null]
    }
    Query totals {
      '''
      SELECT o.id, o.total FROM orders o WHERE o.id = :id
      '''
    }
    """,
    scope=QUERY,
)
def unknown_column(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    yield from _problems(ctx, query, parsed, "Q103")


@rule(
    "Q104",
    "query-ambiguous-column",
    severity="error",
    summary="Unqualified column that exists in several tables of the query",
    rationale="""The engine rejects a column name that more than one joined table has; qualify it with
    the table or its alias.""",
    bad="""
    Table customers {
      id int [pk]
      name varchar(100)
    }
    Table orders {
      id int [pk]
      customer_id int [ref: > customers.id]
      indexes {
        customer_id
      }
    }
    Query order_customer {
      '''
      SELECT name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE id = :id
      '''
    }
    """,
    good="""
    Table customers {
      id int [pk]
      name varchar(100)
    }
    Table orders {
      id int [pk]
      customer_id int [ref: > customers.id]
      indexes {
        customer_id
      }
    }
    Query order_customer {
      '''
      SELECT name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = :id
      '''
    }
    """,
    scope=QUERY,
)
def ambiguous_column(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    yield from _problems(ctx, query, parsed, "Q104")


def _access_message(a: Access) -> str:
    """The evidence (which join, predicates and sort) and the index to add."""
    shown = ", ".join(spec.shown() for spec in a.suggestions)
    suggested = f"(suggested {'indexes' if len(a.suggestions) > 1 else 'index'}: {shown})"
    if a.branches:
        missing = "; nor ".join(b.describe() for b in a.unserved)
        return (
            f"no index serves {a.table.name} filtered by {a.describe()}: a BitmapOr needs an index for every "
            f"branch, and none serves {missing} {suggested}"
        )
    if a.via == "join":
        where = f"{a.table.name} as the inner side of the join from {', '.join(a.outer)}: {a.describe()}"
    elif a.via == "order":
        where = f"{a.table.name} read in order: {a.describe()}"
    else:
        where = f"{a.table.name} filtered by {a.describe()}"
    if any(p[3] for spec in a.suggestions for p in spec.keys):
        suggested = "(a B-tree serves LIKE 'prefix%' only with a pattern operator class, or the C collation) " + (
            suggested
        )
    if a.partly_by is not None:
        return f"{a.partly_by.label} serves {where} only in part {suggested}"
    return f"no index serves {where} {suggested}"


def _zone_note(a: Access) -> str:
    shown = ", ".join(key_text(k) for k in a.unindexable)
    return (
        f"PostgreSQL cannot index {shown} (converting a timestamptz depends on the time zone); "
        "compare the column with a range of instants instead"
    )


def _access_hits(ctx: Context, query: Query, parsed: ParsedQuery, partly: bool) -> Iterator[Hit]:
    analysis = analyse(ctx, query, parsed)
    for a in analysis.accesses:
        if a.served_by is not None or bool(a.partly_by) != partly:
            continue
        span = query.name_span or query.span
        if not a.suggestions:
            if a.unindexable and not partly:
                yield hit(f"no index can serve {a.table.name} filtered by {a.describe()}; {_zone_note(a)}", span)
            continue
        message = _access_message(a)
        if a.unindexable:
            message += f"; {_zone_note(a)}"
        if fixes.own(a.table, a.table.span):
            edit = fixes.add_indexes(a.table, [spec.line() for spec in a.suggestions])
            shown = " and ".join(spec.shown() for spec in a.suggestions)
            yield hit(message, span, fixes.fix(f"Add index {shown} on {a.table.name}", edit))
        else:
            yield hit(message, span)


@rule(
    "Q105",
    "query-without-index",
    severity="warning",
    summary="Query that no index or key serves (suggests the index that would)",
    rationale="""For each table of a declared query the advisor follows a nested-loop plan: the table its
    own predicates narrow most is read first, and every joined table is the inner side, looked up by its
    join key (a correlated subquery too). Join keys, equalities, ranges (`LIKE 'prefix%'` included),
    `IS NULL` and boolean flags, ORs and, with LIMIT, the ORDER BY and its directions are matched against
    the primary key, unique constraints and indexes with B-tree rules. When nothing serves them the
    table is read in full each time. The suggested index puts the join key first, then the equalities,
    the range and the sort keys (directions as the ORDER BY, or all reversed); flags become a partial
    index's `where:`; an OR needs an index per branch (a BitmapOr); a frequent range or top-N query that
    reads two narrow columns more gets them as `include:` for an index-only scan.""",
    bad="""
    Table orders {
      id int [pk]
      customer_id int [not null]
      placed_at timestamptz [not null]
    }
    Query customer_orders [frequency: '500/min'] {
      '''
      SELECT id FROM orders
      WHERE customer_id = :customer AND placed_at >= :since
      ORDER BY placed_at DESC
      LIMIT 20
      '''
    }
    """,
    good="""
    Table orders {
      id int [pk]
      customer_id int [not null]
      placed_at timestamptz [not null]
      indexes {
        (customer_id, placed_at)
      }
    }
    Query customer_orders [frequency: '500/min'] {
      '''
      SELECT id FROM orders
      WHERE customer_id = :customer AND placed_at >= :since
      ORDER BY placed_at DESC
      LIMIT 20
      '''
    }
    """,
    scope=QUERY,
    dialects=INDEXED_DIALECTS,
    fix="safe",
)
def query_without_index(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    yield from _access_hits(ctx, query, parsed, partly=False)


@rule(
    "Q106",
    "query-partly-indexed",
    severity="info",
    summary="Query that an index serves only in part (a key, the range or the ORDER BY is left over)",
    rationale="""An index serves the leading join or equality columns but not all of them, or not the range
    or the sort that follows, so the engine reads more rows than it returns or sorts them. The suggested
    composite index lets it read exactly the rows it needs in order.""",
    bad="""
    Table orders {
      id int [pk]
      customer_id int [not null]
      placed_at timestamptz [not null]
      indexes {
        customer_id
      }
    }
    Query latest_orders {
      '''
      SELECT id FROM orders WHERE customer_id = :customer ORDER BY placed_at DESC LIMIT 10
      '''
    }
    """,
    good="""
    Table orders {
      id int [pk]
      customer_id int [not null]
      placed_at timestamptz [not null]
      indexes {
        (customer_id, placed_at)
      }
    }
    Query latest_orders {
      '''
      SELECT id FROM orders WHERE customer_id = :customer ORDER BY placed_at DESC LIMIT 10
      '''
    }
    """,
    scope=QUERY,
    dialects=INDEXED_DIALECTS,
    fix="safe",
)
def query_partly_indexed(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    yield from _access_hits(ctx, query, parsed, partly=True)


@rule(
    "Q107",
    "query-unreadable-frequency",
    severity="warning",
    summary="Query `frequency` or `target` that cannot be read (write '500/min', '20ms')",
    rationale="""The design document ranks access patterns by frequency and checks latency targets; they
    must read as a rate ('1000/min', '3/s', '20 per hour') and a duration ('15ms', '1s').""",
    bad="""
    Table orders {
      id int [pk]
    }
    Query by_id [frequency: 'often', target: 'fast'] {
      '''
      SELECT id FROM orders WHERE id = :id
      '''
    }
    """,
    good="""
    Table orders {
      id int [pk]
    }
    Query by_id [frequency: '3000/s', target: '5ms'] {
      '''
      SELECT id FROM orders WHERE id = :id
      '''
    }
    """,
    scope=QUERY,
)
def unreadable_frequency(ctx: Context, query: Query, parsed: ParsedQuery) -> Iterator[Hit]:
    span = query.name_span or query.span
    if query.frequency is not None and not FREQUENCY_RE.match(query.frequency):
        yield hit(f"frequency '{query.frequency}' is not a rate such as '500/min' or '3/s'", span)
    if query.target is not None and not TARGET_RE.match(query.target):
        yield hit(f"target '{query.target}' is not a duration such as '20ms' or '1s'", span)
