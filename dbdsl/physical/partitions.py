"""Partitioned tables from a table's `partition_by` (see `model/partitioning.py` for the forms).

PostgreSQL (the plain schema, which migrations share): `CREATE TABLE ... PARTITION BY RANGE|LIST|HASH`,
then the partitions that do not depend on the calendar: the DEFAULT partition of a range or list table,
one partition per listed value (per enum value for a list over an enum column), the hash partitions.
Indexes are created on the parent, which makes them on every partition. The partitions of each period
(day, month, year) are made by `maintenance.create_partitions()` (`dbdsl sql --with partitions`), so
a script written today still creates the right ones when it runs next month.

MySQL: an `ALTER TABLE ... PARTITION BY` after the CREATE TABLE, where InnoDB allows it: no foreign keys
to or from the table, every unique key containing the partition columns; range by period lists the
partitions of the current period and the next `partitions_ahead` (as of the day the script is written)
and a MAXVALUE partition. What cannot be partitioned is said in a warning and the table is made plain.

The same checks serve the linter (`rules/physical.py`), so a schema that lints clean partitions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypedDict

from sqlglot import exp

from ..emit.sql_names import fit, ident, physical, table_ref
from ..emit.sql_types import engine_name, resolve_type
from ..model.partitioning import PartitionSpec, parse_partition
from ..model.schema import Column, Schema, Setting, Table
from ..sqlread import parse_one
from . import plpgsql as pl

DEFAULT_AHEAD = 3
TEMPORAL = ("date", "timestamp")
NAME_SUFFIX = {"day": "%Y%m%d", "month": "%Y%m", "year": "%Y"}


@dataclass(frozen=True)
class Problem:
    """Why a table cannot be partitioned as declared. `kind`: column, key, period, value, engine.
    For a key problem, `key` is the key's columns and `key_kind` "primary key" or "unique"."""

    message: str
    kind: str
    key: tuple[str, ...] = ()
    key_kind: str = ""
    index_name: str | None = None


def spec_of(table: Table) -> PartitionSpec | None:
    """The table's partitioning, None when it has none (an invalid value is an E109 already)."""
    setting = table.setting("partition_by")
    if setting is None or not setting.value:
        return None
    spec = parse_partition(setting.value)
    return spec if isinstance(spec, PartitionSpec) else None


def partitions_ahead(table: Table, schema: Schema) -> int:
    """How many periods after the current one get their partition: the table's `partitions_ahead`,
    else the Project's, else 3."""
    for owner in (table, schema.project):
        setting = owner.setting("partitions_ahead") if owner is not None else None
        if setting is not None and setting.value and setting.value.isdigit():
            return int(setting.value)
    return DEFAULT_AHEAD


def unique_keys(table: Table) -> list[tuple[str, tuple[str, ...], str | None]]:
    """(kind, columns, index name) of the primary key, unique columns and unique indexes."""
    out: list[tuple[str, tuple[str, ...], str | None]] = []
    if table.primary_key:
        out.append(("primary key", table.primary_key, None))
    for column in table.columns:
        if column.unique and (column.name,) != table.primary_key:
            out.append(("unique", (column.name,), None))
    for index in table.indexes:
        if index.unique and not index.pk:
            out.append(("unique", index.columns, index.name))
    return out


def problems(table: Table, schema: Schema, target: str = "postgres") -> list[Problem]:
    """Everything that stops `table` from being partitioned as declared, on `target` (sqlglot name)."""
    spec = spec_of(table)
    if spec is None:
        return []
    out: list[Problem] = []
    missing = [c for c in spec.columns if table.column(c) is None]
    if missing:
        return [Problem(f"partition_by names {_cols(missing)}, which the table does not have", "column")]
    for kind, columns, index_name in unique_keys(table):
        lacking = [c for c in spec.columns if c not in columns]
        if lacking:
            out.append(
                Problem(
                    f"the {kind if kind == 'primary key' else 'unique constraint'} ({', '.join(columns)}) "
                    f"does not contain the partition key {_cols(lacking)}",
                    "key",
                    columns,
                    kind,
                    index_name,
                )
            )
    if spec.method == "range" and spec.period:
        column = _key_column(table, spec)
        kind = resolve_type(column.type, "postgres", schema).category
        if kind not in TEMPORAL:
            out.append(
                Problem(
                    f"partitions per {spec.period} need a date or timestamp column; "
                    f"{column.name} is {column.type.text}",
                    "period",
                )
            )
    if spec.method == "list":
        enum = resolve_type(_key_column(table, spec).type, "postgres", schema).enum
        if enum is not None and spec.values:
            known = {v.name for v in enum.values}
            wrong = [v for v in spec.values if v not in known]
            if wrong:
                out.append(Problem(f"{', '.join(wrong)} {_is(wrong)} not a value of enum {enum.qualified}", "value"))
    if target == "mysql":
        out.extend(_mysql_problems(table, schema, spec))
    return out


def _mysql_problems(table: Table, schema: Schema, spec: PartitionSpec) -> list[Problem]:
    out = []
    refs = [r for r in schema.refs if table.key in (r.fk_side.table_key, r.pk_side.table_key)]
    if refs:
        out.append(
            Problem(
                "MySQL (InnoDB) cannot partition a table that has or is the target of foreign keys; "
                f"{table.qualified} has {len(refs)}",
                "engine",
            )
        )
    if spec.method == "range" and not spec.period:
        message = "MySQL needs the range partitions listed: give the period, as in 'range (c), monthly'"
        out.append(Problem(message, "engine"))
    if spec.method == "list" and not _list_values(table, schema, spec):
        out.append(Problem("MySQL needs the list partitions' values: name them, as in 'list (c): a, b'", "engine"))
    return out


def mysql_limits(table: Table, schema: Schema, spec: PartitionSpec) -> list[str]:
    """What a MySQL partitioning that is written still lacks, as warnings."""
    if spec.method == "list" and spec.values:
        return [f"{table.qualified}: MySQL has no DEFAULT list partition: rows with other values are refused"]
    if spec.method == "range":
        return [
            f"{table.qualified}: MySQL lists its range partitions in the table: the script has those of the "
            f"current {spec.period} and the next {partitions_ahead(table, schema)} as of the day it was written, "
            "and p_future for later rows; split p_future with ALTER TABLE ... REORGANIZE PARTITION"
        ]
    return []


def _cols(names: Iterable[str]) -> str:
    names = list(names)
    return ("column " if len(names) == 1 else "columns ") + ", ".join(names)


def _is(items: Sequence[str]) -> str:
    return "is" if len(items) == 1 else "are"


def _list_values(table: Table, schema: Schema, spec: PartitionSpec) -> tuple[str, ...]:
    """The values that get a partition each: as listed, or every value of the enum column."""
    if spec.values:
        return spec.values
    enum = resolve_type(_key_column(table, spec).type, "postgres", schema).enum
    return tuple(v.name for v in enum.values) if enum is not None else ()


def _key_column(table: Table, spec: PartitionSpec) -> Column:
    """The first partition column: `problems` finds a table without it, and the callers have checked."""
    column = table.column(spec.columns[0])
    assert column is not None, f"{table.qualified} has no column {spec.columns[0]}"
    return column


def usable(table: Table, schema: Schema | None, target: str, warnings: list[str]) -> PartitionSpec | None:
    """The table's partitioning when `target` can make it; otherwise None, with the reasons as warnings."""
    spec = spec_of(table)
    if spec is None or schema is None:
        return None
    if target not in ("postgres", "mysql"):
        warnings.append(f"{table.qualified}: {engine_name(target)} partitioning is not written; the table is plain")
        return None
    found = problems(table, schema, target)
    if found:
        warnings.extend(f"{table.qualified}: {p.message}; the table is not partitioned" for p in found)
        return None
    return spec


# ---------------------------------------------------------------- PostgreSQL


def partition_by(table: Table, spec: PartitionSpec) -> exp.PartitionedByProperty:
    """`PARTITION BY RANGE|LIST|HASH (columns)` of the parent table."""
    columns = [exp.column(ident(c)) for c in spec.columns]
    method = (
        exp.List(expressions=columns)
        if spec.method == "list"
        else exp.Anonymous(this=spec.method.upper(), expressions=columns)
    )
    return exp.PartitionedByProperty(this=method)


def partition_tables(table: Table, schema: Schema, spec: PartitionSpec, taken: set[str]) -> list[exp.Create]:
    """The partitions of a PostgreSQL parent that do not depend on the calendar (see the module doc).
    `taken` holds the lower-cased relation names of the table's schema; the names used are added."""
    parent = table_ref(table.schema, table.name, "postgres")
    out = []

    def child(suffix: str, bound: exp.Expression) -> exp.Create:
        name = fit(f"{table.name}_{suffix}")
        n = 1
        while name.lower() in taken:
            n += 1
            name = fit(f"{table.name}_{suffix}_{n}")
        taken.add(name.lower())
        db = physical(table.schema, table.name, "postgres")[0]
        of = exp.PartitionedOfProperty(this=parent.copy(), expression=bound)
        return exp.Create(
            kind="TABLE",
            this=exp.Table(this=ident(name), db=ident(db) if db else None),
            properties=exp.Properties(expressions=[of]),
        )

    if spec.method == "hash":
        for remainder in range(spec.count or 0):
            modulus, rest = exp.Literal.number(spec.count), exp.Literal.number(remainder)
            bound = exp.PartitionBoundSpec(this=modulus, expression=rest)
            out.append(child(f"p{remainder}", bound))
        return out
    if spec.method == "list":
        column = _key_column(table, spec)
        numeric = resolve_type(column.type, "postgres", schema).category in ("integer", "decimal")
        for value in _list_values(table, schema, spec):
            literal = exp.Literal.number(value) if numeric and _number(value) else exp.Literal.string(value)
            out.append(child(slug(value), exp.PartitionBoundSpec(this=[literal])))
    out.append(child("default", exp.var("DEFAULT")))
    return out


def slug(value: str) -> str:
    """A partition name suffix for a list value: lower case letters, digits and underscores."""
    text = re.sub(r"\W+", "_", value.lower()).strip("_")
    return text or "value"


def _number(text: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


# ---------------------------------------------------------------- MySQL


def mysql_partitioning(table: Table, schema: Schema, spec: PartitionSpec, today: date) -> exp.Command:
    """`ALTER TABLE t PARTITION BY ...` for MySQL (sqlglot has no node for MySQL's partition clause:
    the names, values and expressions in it are rendered by sqlglot)."""
    name = table_ref(table.schema, table.name, "mysql").sql("mysql")
    columns = ", ".join(ident(c).sql("mysql") for c in spec.columns)
    if spec.method == "hash":
        clause = f"PARTITION BY KEY ({columns}) PARTITIONS {spec.count}"
    elif spec.method == "list":
        column = _key_column(table, spec)
        numeric = resolve_type(column.type, "mysql", schema).category == "integer"
        parts = []
        for value in _list_values(table, schema, spec):
            literal = exp.Literal.number(value) if numeric and _number(value) else exp.Literal.string(value)
            parts.append(f"PARTITION {ident('p_' + slug(value)).sql('mysql')} VALUES IN ({literal.sql('mysql')})")
        clause = f"PARTITION BY LIST{'' if numeric else ' COLUMNS'} ({columns}) ({', '.join(parts)})"
    else:
        period = spec.period
        assert period is not None, "MySQL range partitions need the period (see _mysql_problems)"
        column = _key_column(table, spec)
        datatype = resolve_type(column.type, "mysql", schema).datatype
        stamp = datatype.this in (exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPTZ)
        function = "UNIX_TIMESTAMP" if stamp else "TO_DAYS"
        parts = []
        for start, end in periods(period, today, partitions_ahead(table, schema)):
            bound = exp.func(function, exp.Literal.string(end.isoformat() + (" 00:00:00" if stamp else "")))
            label = ident("p" + start.strftime(NAME_SUFFIX[period])).sql("mysql")
            parts.append(f"PARTITION {label} VALUES LESS THAN ({bound.sql('mysql')})")
        parts.append(f"PARTITION {ident('p_future').sql('mysql')} VALUES LESS THAN MAXVALUE")
        key = exp.func(function, exp.column(ident(spec.columns[0]))).sql("mysql")
        clause = f"PARTITION BY RANGE ({key}) ({', '.join(parts)})"
    return exp.Command(this="ALTER", expression=f" TABLE {name} {clause}")


def periods(period: str | None, today: date, ahead: int) -> list[tuple[date, date]]:
    """(first day, first day of the next period) of the current period and the `ahead` after it."""
    out = []
    start = _truncate(period, today)
    for _ in range(ahead + 1):
        end = _next(period, start)
        out.append((start, end))
        start = end
    return out


def _truncate(period: str | None, day: date) -> date:
    if period == "year":
        return day.replace(month=1, day=1)
    if period == "month":
        return day.replace(day=1)
    return day


def _next(period: str | None, day: date) -> date:
    if period == "year":
        return day.replace(year=day.year + 1)
    if period == "month":
        return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return date.fromordinal(day.toordinal() + 1)


# ---------------------------------------------------------------- reading SQL back


ATTACH = re.compile(
    r"ALTER\s+(?P<kind>TABLE|INDEX)\s+(?:ONLY\s+)?(?P<parent>\S+)\s+ATTACH\s+PARTITION\s+(?P<child>\S+)\s*(?P<bound>.*)$",
    re.IGNORECASE | re.DOTALL,
)


class _Partitioned(TypedDict):
    """A partitioned table as read so far: its PARTITION BY clause and what its partitions add."""

    method: str
    columns: list[str]
    count: int
    values: list[str]


def read_partitioning(
    statements: list[exp.Expression], default_schema: str
) -> tuple[list[exp.Expression], dict[tuple[str, str], str]]:
    """PostgreSQL statements without the partitions, and the `partition_by` of each partitioned table
    they leave (by (schema, table)), read from its PARTITION BY clause and its partitions: hash
    partitions give the count, list partitions the values. Partitions come as `CREATE TABLE ...
    PARTITION OF` (dbdsl's scripts) or as tables attached with `ALTER TABLE ... ATTACH PARTITION`
    (pg_dump); every statement on a partition (its constraints, indexes, index attachments) goes with
    it. Renames and drops of tables are followed. The period of range partitions is not in the plain
    schema's SQL (those partitions are made by the maintenance function), so it is not read."""
    found: dict[tuple[str, str], _Partitioned] = {}
    children: set[tuple[str, str]] = set()

    def key_of(table: exp.Table) -> tuple[str, str]:
        return (table.db or default_schema, table.name)

    def bound_of(spec: _Partitioned | None, bound: exp.Expression | None) -> None:
        if spec is None or not isinstance(bound, exp.PartitionBoundSpec):
            return
        if spec["method"] == "hash":
            spec["count"] += 1
        elif spec["method"] == "list" and isinstance(bound.this, list):
            spec["values"].extend(v.name for v in bound.this)

    for statement in statements:  # first the partitions: pg_dump attaches them after creating them
        if isinstance(statement, exp.Create) and (statement.args.get("kind") or "").upper() == "TABLE":
            properties = statement.args.get("properties")
            parent = properties.find(exp.PartitionedByProperty) if properties is not None else None
            target = statement.this.this if isinstance(statement.this, exp.Schema) else statement.this
            if parent is not None and isinstance(target, exp.Table):
                method = parent.this
                name = "list" if isinstance(method, exp.List) else str(method.this).lower()
                columns = [c.name for c in method.find_all(exp.Column)]
                found[key_of(target)] = {"method": name, "columns": columns, "count": 0, "values": []}
            child = properties.find(exp.PartitionedOfProperty) if properties is not None else None
            if child is not None:
                children.add(key_of(target))
                bound_of(found.get(key_of(child.this)), child.expression)
        elif isinstance(statement, exp.Command):
            m = ATTACH.match(f"{statement.this} {statement.expression}".strip())
            if m is not None and m.group("kind").upper() == "TABLE":
                parent, child = exp.to_table(m.group("parent")), exp.to_table(m.group("child"))
                children.add(key_of(child))
                made = _parse_bound(m.group("bound"))
                bound_of(found.get(key_of(parent)), made)
    rest = []
    for statement in statements:
        if _on_partition(statement, children, key_of):
            continue
        if isinstance(statement, exp.Alter) and isinstance(statement.this, exp.Table):
            for action in statement.args.get("actions") or []:
                if isinstance(action, exp.AlterRename) and key_of(statement.this) in found:
                    moved = found.pop(key_of(statement.this))
                    found[(statement.this.db or default_schema, action.this.name)] = moved
        elif isinstance(statement, exp.Drop) and (statement.args.get("kind") or "").upper() == "TABLE":
            for table in statement.args.get("tables") or []:
                found.pop(key_of(table), None)
        rest.append(statement)
    return rest, {key: _spec_text(spec) for key, spec in found.items()}


def _parse_bound(text: str) -> exp.Expression | None:
    """The bound of `ATTACH PARTITION x <bound>`, read the way `CREATE TABLE ... PARTITION OF` reads it."""
    tree = parse_one(f"CREATE TABLE _p PARTITION OF _t {text}", "postgres")
    found = tree.find(exp.PartitionedOfProperty) if tree is not None else None
    return found.expression if found is not None else None


def _on_partition(
    statement: exp.Expression, children: set[tuple[str, str]], key_of: Callable[[exp.Table], tuple[str, str]]
) -> bool:
    """Whether a statement makes or changes a partition (which the parent's statements stand for)."""
    if not children:
        return False
    if isinstance(statement, exp.Create):
        kind = (statement.args.get("kind") or "").upper()
        target = statement.this.this if isinstance(statement.this, exp.Schema) else statement.this
        if kind == "INDEX":
            target = statement.this.args.get("table")
        return isinstance(target, exp.Table) and key_of(target) in children
    if isinstance(statement, exp.Alter | exp.Comment) and isinstance(statement.this, exp.Table):
        return key_of(statement.this) in children
    if isinstance(statement, exp.Command):
        return ATTACH.match(f"{statement.this} {statement.expression}".strip()) is not None
    return False


def with_partitioning(schema: Schema, partitioned: dict[tuple[str, str], str]) -> Schema:
    """The schema with each table's `partition_by` as `read_partitioning` found it."""
    if not partitioned:
        return schema
    from dataclasses import replace

    tables = []
    for table in schema.tables:
        settings = tuple(s for s in table.settings if s.key != "partition_by")
        if table.key in partitioned:
            settings += (Setting("partition_by", partitioned[table.key]),)
        tables.append(replace(table, settings=settings))
    return replace(schema, tables=tuple(tables))


def _spec_text(spec: _Partitioned) -> str:
    text = f"{spec['method']} ({', '.join(spec['columns'])})"
    if spec["method"] == "hash":
        return f"{text}, {spec['count']} partitions"
    if spec["method"] == "list" and spec["values"]:
        return f"{text}: {', '.join(spec['values'])}"
    return text


# ---------------------------------------------------------------- the partitions of each period


MAINTENANCE = "maintenance"
REGCLASS = exp.DataType.build("regclass", udt=True)
CREATE_PARTITIONS = (MAINTENANCE, "create_partitions")

_CREATE_PARTITIONS_BODY = """
DECLARE
  step interval := ('1 ' || period)::interval;
  first_bound timestamptz := date_trunc(period, now());
  lower_bound timestamptz;
  upper_bound timestamptz;
  parent_schema name;
  parent_name name;
  key_column name;
  default_partition regclass;
  partition_name text;
  grantee text;
  made integer := 0;
BEGIN
  SELECT n.nspname, c.relname INTO parent_schema, parent_name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = parent;
  SELECT a.attname INTO key_column
  FROM pg_catalog.pg_partitioned_table p
  JOIN pg_catalog.pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
  WHERE p.partrelid = parent;
  SELECT c.oid::regclass INTO default_partition
  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = parent AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
  FOR i IN 0 .. ahead LOOP
    lower_bound := first_bound + i * step;
    upper_bound := lower_bound + step;
    partition_name := left(parent_name, 50) || '_p'
      || to_char(lower_bound, CASE period WHEN 'day' THEN 'YYYYMMDD' WHEN 'month' THEN 'YYYYMM' ELSE 'YYYY' END);
    CONTINUE WHEN to_regclass(format('%I.%I', parent_schema, partition_name)) IS NOT NULL;
    IF default_partition IS NULL THEN
      EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                     parent_schema, partition_name, parent, lower_bound, upper_bound);
    ELSE
      -- rows of the period that reached the DEFAULT partition move into the new partition
      EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                     parent_schema, partition_name, parent);
      EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= %L AND %I < %L RETURNING *) '
                     'INSERT INTO %I.%I SELECT * FROM moved',
                     default_partition, key_column, lower_bound, key_column, upper_bound,
                     parent_schema, partition_name);
      EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                     parent, parent_schema, partition_name, lower_bound, upper_bound);
    END IF;
    -- a partition is reached through its parent only (whose privileges and policies apply):
    -- take back what default privileges gave on it
    FOR grantee IN
      SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END
      FROM pg_catalog.pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
      WHERE c.oid = format('%I.%I', parent_schema, partition_name)::regclass AND a.grantee <> c.relowner
    LOOP
      EXECUTE format('REVOKE ALL ON TABLE %I.%I FROM %s', parent_schema, partition_name, grantee);
    END LOOP;
    made := made + 1;
  END LOOP;
  RETURN made;
END
"""


def period_tables(schema: Schema) -> list[tuple[Table, PartitionSpec]]:
    """The tables partitioned by range per period that PostgreSQL can partition, in schema order."""
    out = []
    for table in schema.tables:
        spec = spec_of(table)
        if spec is not None and spec.method == "range" and spec.period and not problems(table, schema):
            out.append((table, spec))
    return out


def maintenance_statements(schema: Schema, owner_definer: bool) -> list[exp.Expression]:
    """The function that makes the partitions of the current period and the next ones for one table,
    the function that does it for every table partitioned by period, and its first call.

    Bounds are in UTC (the functions set their time zone), named `<table>_p<YYYYMM>` (`YYYYMMDD`,
    `YYYY`). With `owner_definer` the functions run as their owner (the owner role), so partitions
    made from a scheduled job belong to it too."""
    found = period_tables(schema)
    if not found:
        return []
    options = ["SET search_path = pg_catalog, pg_temp", "SET TimeZone = 'UTC'"]
    if owner_definer:
        options.insert(0, "SECURITY DEFINER")
    generic = pl.routine(
        "FUNCTION",
        pl.qualified(*CREATE_PARTITIONS),
        "parent regclass, period text, ahead integer",
        _CREATE_PARTITIONS_BODY,
        returns="integer",
        options=options,
    )
    calls = []
    for table, spec in found:
        target = exp.cast(exp.Literal.string(pl.sql(pl.table(table.schema, table.name))), REGCLASS)
        ahead = exp.Literal.number(partitions_ahead(table, schema))
        calls.append(pl.call(*CREATE_PARTITIONS, target, exp.Literal.string(spec.period), ahead))
    total: exp.Expression = calls[0]
    for call in calls[1:]:
        total = exp.Add(this=total, expression=call)
    every = pl.routine(
        "FUNCTION",
        pl.qualified(*CREATE_PARTITIONS),
        "",
        pl.sql(exp.select(total)),
        returns="integer",
        language="sql",
        options=options,
    )
    revoke = [
        pl.command(f"REVOKE ALL ON FUNCTION {pl.sql(pl.qualified(*CREATE_PARTITIONS))}({args}) FROM PUBLIC")
        for args in ("regclass, text, integer", "")
    ]
    first = exp.select(pl.call(*CREATE_PARTITIONS))
    return [generic, every, *revoke, first]
