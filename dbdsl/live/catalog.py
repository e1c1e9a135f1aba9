"""A live database's catalog as DDL statements the SQL importer reads: the catalog says what exists
(pg_catalog and the server's own definitions on PostgreSQL: format_type, pg_get_expr,
pg_get_constraintdef, pg_get_indexdef, pg_get_partkeydef; information_schema and SHOW CREATE TABLE on
MySQL and MariaDB; sqlite_master and its CREATE statements on SQLite), and the importer turns it into
the schema model, so one reader of SQL decides what every construct means.

Identifiers read from the catalog are quoted through sqlglot, never pasted. What the schema language
cannot say (views, functions, triggers, policies, grants, extensions) is collected in `not_carried`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlglot import exp

from .connect import Database
from .history import OWN_TABLES

SERIALS = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}


@dataclass
class CatalogScript:
    statements: list[str] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(s.rstrip().rstrip(";") + ";\n" for s in self.statements)


def read_catalog(db: Database, schema: str | None = None) -> CatalogScript:
    if db.kind == "postgres":
        return _postgres(db, schema)
    if db.kind == "mysql":
        return _mysql(db)
    return _sqlite(db)


def ident(name: str, dialect: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(dialect)


def string(text: str, dialect: str) -> str:
    return exp.Literal.string(text).sql(dialect)


# ---------------------------------------------------------------- PostgreSQL

_USER_NAMESPACE = """n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%%'
  AND n.nspname NOT LIKE 'pg\\_temp%%' AND (%s::text IS NULL OR n.nspname = %s::text)"""
_NOT_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')"


def _postgres(db: Database, only: str | None) -> CatalogScript:
    out = CatalogScript()
    q = db.query
    where = (only, only)

    def name(schema: str, rel: str) -> str:
        return f"{ident(schema, 'postgres')}.{ident(rel, 'postgres')}"

    for (schema,) in q(
        f"SELECT n.nspname FROM pg_namespace n WHERE {_USER_NAMESPACE} AND n.nspname <> 'public' "
        f"AND {_NOT_EXTENSION.format(oid='n.oid')} ORDER BY 1",
        where,
    ):
        out.statements.append(f"CREATE SCHEMA {ident(schema, 'postgres')}")
    for schema, typname, labels, comment in q(
        f"""SELECT n.nspname, t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder),
                   obj_description(t.oid, 'pg_type')
            FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE {_USER_NAMESPACE} AND {_NOT_EXTENSION.format(oid="t.oid")}
            GROUP BY n.nspname, t.typname, t.oid ORDER BY 1, 2""",
        where,
    ):
        values = ", ".join(string(label, "postgres") for label in labels)
        out.statements.append(f"CREATE TYPE {name(schema, typname)} AS ENUM ({values})")
        if comment:
            out.statements.append(f"COMMENT ON TYPE {name(schema, typname)} IS {string(comment, 'postgres')}")

    tables = q(
        f"""SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
                   CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
                   (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                      JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid LIMIT 1),
                   (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) FROM pg_inherits i
                      JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                      WHERE i.inhrelid = c.oid LIMIT 1),
                   obj_description(c.oid, 'pg_class')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND {_USER_NAMESPACE} AND {_NOT_EXTENSION.format(oid="c.oid")}
            ORDER BY c.relispartition, n.nspname, c.relname""",
        where,
    )
    tables = [t for t in tables if t[2] not in OWN_TABLES]
    oids = {t[0] for t in tables}
    partitions = {t[0] for t in tables if t[4]}
    columns: dict[int, list[tuple]] = {}
    for row in q(
        """SELECT a.attrelid, a.attname,
                  CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod)
                       ELSE format_type(a.atttypid, a.atttypmod) END, a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
                  a.attidentity = '' AND pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) IS NOT NULL,
                  col_description(a.attrelid, a.attnum)
           FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attrelid, a.attnum"""
    ):
        if row[0] in oids:
            columns.setdefault(row[0], []).append(row[1:])
    constraints: dict[int, list[tuple]] = {}
    for oid, conname, contype, definition in q(
        """SELECT conrelid, conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid <> 0 AND conislocal ORDER BY conrelid, contype, conname"""
    ):
        if oid in oids and oid not in partitions:
            constraints.setdefault(oid, []).append((conname, contype, definition))

    later: list[str] = []
    for oid, schema, rel, kind, is_partition, partkey, bound, _parent, parent_sql, comment in tables:
        target = name(schema, rel)
        if is_partition:
            out.statements.append(f"CREATE TABLE {target} PARTITION OF {parent_sql} {bound}")
            continue
        body = []
        for col, typ, not_null, default, identity, generated, owned, _note in columns.get(oid, []):
            serial = SERIALS.get(typ) if owned and (default or "").startswith("nextval(") else None
            line = f"{ident(col, 'postgres')} {serial or typ}"
            if serial:
                pass  # the sequence it owns is the serial type's
            elif generated == "s":
                line += f" GENERATED ALWAYS AS ({default}) STORED"
            elif identity:
                line += " GENERATED {} AS IDENTITY".format("ALWAYS" if identity == "a" else "BY DEFAULT")
                if identity == "a":
                    out.not_carried.append(f"GENERATED ALWAYS of identity {schema}.{rel}.{col} (written as increment)")
            elif default is not None:
                line += f" DEFAULT {default}"
            if not_null:
                line += " NOT NULL"
            body.append(line)
        for conname, contype, definition in constraints.get(oid, []):
            clause = f"CONSTRAINT {ident(conname, 'postgres')} {definition}"
            if contype == "f":
                later.append(f"ALTER TABLE ONLY {target} ADD {clause}")
            elif contype in ("p", "u", "c"):
                body.append(clause)
            else:
                out.not_carried.append(f"constraint {schema}.{rel}.{conname}: {definition}")
        text = f"CREATE TABLE {target} (\n  " + ",\n  ".join(body) + "\n)"
        if kind == "p":
            text += f" PARTITION BY {partkey}"
        out.statements.append(text)
        if comment:
            out.statements.append(f"COMMENT ON TABLE {target} IS {string(comment, 'postgres')}")
        for col, *_rest, note in columns.get(oid, []):
            if note:
                out.statements.append(
                    f"COMMENT ON COLUMN {target}.{ident(col, 'postgres')} IS {string(note, 'postgres')}"
                )
    out.statements.extend(later)
    texts = {
        oid: [c[0] for c in cols if c[1].startswith(("character varying", "character("))]
        for oid, cols in columns.items()
    }
    for oid, definition in q(
        """SELECT i.indrelid, pg_get_indexdef(i.indexrelid) FROM pg_index i
           WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k
                             WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
           ORDER BY i.indrelid, i.indexrelid"""
    ):
        if oid in oids and oid not in partitions:
            out.statements.append(_implicit_text_casts(definition, texts.get(oid, [])))
    _postgres_not_carried(db, out, where)
    return out


def _implicit_text_casts(definition: str, columns: list[str]) -> str:
    """`(email)::text` as `email` for a varchar column: PostgreSQL shows the cast it adds itself when a
    text function reads a varchar, and adds it again when the index is created from the file."""
    for column in columns:
        shown = ident(column, "postgres") if column != column.lower() or not column.isidentifier() else column
        definition = definition.replace(f"({shown})::text", shown)
    return definition


def _postgres_not_carried(db: Database, out: CatalogScript, where: tuple) -> None:
    q = db.query
    for schema, rel, kind in q(
        f"""SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('v', 'm', 'f') AND {_USER_NAMESPACE} AND {_NOT_EXTENSION.format(oid="c.oid")}
            ORDER BY 1, 2""",
        where,
    ):
        noun = {"v": "view", "m": "materialized view", "f": "foreign table"}[kind]
        out.not_carried.append(f"{noun} {schema}.{rel}")
    for schema, proname, args, kind in q(
        f"""SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE {_USER_NAMESPACE} AND {_NOT_EXTENSION.format(oid="p.oid")} ORDER BY 1, 2""",
        where,
    ):
        noun = {"p": "procedure", "a": "aggregate", "w": "window function"}.get(kind, "function")
        out.not_carried.append(f"{noun} {schema}.{proname}({args})")
    for schema, rel, trigger in q(
        f"""SELECT n.nspname, c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND {_USER_NAMESPACE}
            ORDER BY 1, 2, 3""",
        where,
    ):
        out.not_carried.append(f"trigger {trigger} on {schema}.{rel}")
    for schema, rel, policy in q(
        f"""SELECT p.schemaname, p.tablename, p.policyname FROM pg_policies p JOIN pg_namespace n
            ON n.nspname = p.schemaname WHERE {_USER_NAMESPACE} ORDER BY 1, 2, 3""",
        where,
    ):
        out.not_carried.append(f"policy {policy} on {schema}.{rel}")
    for schema, rel in q(
        f"""SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm') AND {_USER_NAMESPACE}
            ORDER BY 1, 2""",
        where,
    ):
        out.not_carried.append(f"grants on {schema}.{rel}")
    for schema, typname, base in q(
        f"""SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod) FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND {_USER_NAMESPACE}
            AND {_NOT_EXTENSION.format(oid="t.oid")} ORDER BY 1, 2""",
        where,
    ):
        out.not_carried.append(f"domain {schema}.{typname} (its columns are written as {base})")
    for (extension,) in q("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1"):
        out.not_carried.append(f"extension {extension}")


# ---------------------------------------------------------------- MySQL and MariaDB


def _mysql(db: Database) -> CatalogScript:
    out = CatalogScript()
    for rel, kind in db.query(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = DATABASE() "
        "ORDER BY table_name"
    ):
        if rel in OWN_TABLES:
            continue
        if kind == "BASE TABLE":
            out.statements.append(_mariadb_json(db.query(f"SHOW CREATE TABLE {ident(rel, 'mysql')}")[0][1]))
        else:
            out.not_carried.append(f"view {rel}")
    # every key (unique, FULLTEXT, SPATIAL, on a prefix, USING HASH) is in SHOW CREATE TABLE, which the
    # importer reads as a dump's CREATE TABLE
    for routine, kind in db.query(
        "SELECT routine_name, routine_type FROM information_schema.routines WHERE routine_schema = DATABASE() "
        "ORDER BY routine_name"
    ):
        out.not_carried.append(f"{kind.lower()} {routine}")
    for trigger, table in db.query(
        "SELECT trigger_name, event_object_table FROM information_schema.triggers "
        "WHERE trigger_schema = DATABASE() ORDER BY trigger_name"
    ):
        out.not_carried.append(f"trigger {trigger} on {table}")
    return out


_MARIADB_JSON = re.compile(
    r"^(?P<head>\s*(?P<col>`(?:[^`]|``)+`)) longtext(?: CHARACTER SET \w+)?(?: COLLATE \w+)?(?P<rest>.*?)"
    r" CHECK \(json_valid\((?P=col)\)\)(?P<tail>,?)$",
    re.M,
)


def _mariadb_json(create: str) -> str:
    """MariaDB shows a JSON column as the longtext with a json_valid check it is made of: JSON again."""
    return _MARIADB_JSON.sub(lambda m: f"{m['head']} json{m['rest']}{m['tail']}", create)


# ---------------------------------------------------------------- SQLite


def _sqlite(db: Database) -> CatalogScript:
    out = CatalogScript()
    rows = db.query(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid"
    )
    for kind, rel, table, sql in rows:
        if rel in OWN_TABLES or table in OWN_TABLES:
            continue
        if kind in ("table", "index"):
            out.statements.append(sql)
        else:
            out.not_carried.append(f"{kind} {rel}" + (f" on {table}" if kind == "trigger" else ""))
    return out
