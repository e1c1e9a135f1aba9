"""PostgreSQL statements sqlglot has no node for (roles, policies, triggers, functions, DO blocks).

Each is an `exp.Command` whose variable parts (names, literals, expressions, the SQL statements inside
a function body) are rendered and quoted by sqlglot; only keywords and PL/pgSQL control flow are
written here. A body is dollar-quoted with a tag that does not occur in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from ..emit.sql_names import ident

PG = "postgres"


def sql(node: exp.Expr) -> str:
    """One expression or statement as PostgreSQL text (on one line)."""
    return node.sql(dialect=PG)


def literal(text: str) -> str:
    """A string literal, quoted and escaped by sqlglot."""
    return sql(exp.Literal.string(text))


def name(text: str) -> str:
    """A quoted identifier."""
    return sql(ident(text))


def names(items: Sequence[str]) -> str:
    return ", ".join(name(i) for i in items)


def command(text: str) -> exp.Command:
    """A statement from its rendered parts: the first word is the command."""
    head, _, rest = text.partition(" ")
    return exp.Command(this=head, expression=" " + rest)


def dollar_quoted(body: str) -> str:
    """`body` between dollar quotes whose tag it does not contain."""
    tag, n = "$fn$", 0
    while tag in body:
        n += 1
        tag = f"$fn{n}$"
    return f"{tag}\n{body.strip(chr(10))}\n{tag}"


def routine(
    kind: str,
    target: exp.Table,
    parameters: str,
    body: str,
    *,
    returns: str | None = None,
    language: str = "plpgsql",
    options: Sequence[str] = (),
) -> exp.Command:
    """`CREATE OR REPLACE FUNCTION|PROCEDURE name(parameters) [RETURNS ...] LANGUAGE ... options AS $$body$$`."""
    head = f"CREATE OR REPLACE {kind} {sql(target)}({parameters})"
    if returns:
        head += f" RETURNS {returns}"
    parts = [head, f"LANGUAGE {language}", *options, "AS " + dollar_quoted(body)]
    return command("\n".join(parts))


def do(body: str) -> exp.Command:
    """An anonymous PL/pgSQL block."""
    return command("DO " + dollar_quoted(body))


def indent(lines: Sequence[str], depth: int = 1) -> str:
    pad = "  " * depth
    return "\n".join(pad + line if line else line for line in "\n".join(lines).split("\n"))


def qualified(schema: str, bare: str) -> exp.Table:
    return exp.Table(this=ident(bare), db=ident(schema))


def call(schema: str, function: str, *args: exp.Expression) -> exp.Dot:
    """`"schema"."function"(args)`."""
    return exp.Dot(this=ident(schema), expression=exp.Anonymous(this=ident(function), expressions=list(args)))


def table(schema: str, bare: str) -> exp.Table:
    """A table named with its schema even in the default one: function bodies do not depend on the
    search_path (those of SECURITY DEFINER functions must not)."""
    return qualified(schema, bare)
