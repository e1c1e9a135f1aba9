"""The role of a table, as a DBA reads it before judging it.

The same column means different things in different tables: `username` identifies a row of `users`
but not of `login_history`; `product_name` in `order_lines` is the name as it was when the order was
placed, not a copy that drifts. Each role is inferred from evidence (the table's name without the
schema's common prefix, its note, its columns, the foreign keys around it), and the evidence is kept
so that rules can say why they stay quiet or speak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from ..model.schema import Table
from .columns import Family, family, words
from .words import singular, tokens

LOG_LAST = {"log", "logs", "history", "histories", "audit", "audits", "journal", "journals", "trail", "trails"}
LOG_LAST |= {"event", "events", "activity", "activities", "attempt", "attempts", "logins", "visits", "hits"}
LOG_LAST |= {"clicks", "impressions", "sessions", "versions", "revisions", "changes", "changelog", "deliveries"}
LOG_ANYWHERE = {"log", "logs", "history", "audit", "journal", "changelog"}
LOG_NOTE_RE = re.compile(r"\b(log|history|audit|append[- ]only|event|journal|trail)\b", re.IGNORECASE)

SNAPSHOT_WORDS = {"order", "orders", "invoice", "invoices", "receipt", "receipts", "quote", "quotes", "quotation"}
SNAPSHOT_WORDS |= {"quotations", "shipment", "shipments", "purchase", "purchases", "sale", "sales", "booking"}
SNAPSHOT_WORDS |= {"bookings", "reservation", "reservations", "transaction", "transactions", "payment", "payments"}
SNAPSHOT_WORDS |= {"bill", "bills", "statement", "statements", "refund", "refunds", "fee", "fees"}
SNAPSHOT_WORDS |= {"checkout", "checkouts", "returns", "credit_note", "credit_notes", "voucher", "vouchers"}
# documents whose parts (`order_*`, `invoice_*`) all keep the values of the time they were written
DOCUMENT_WORDS = {"order", "orders", "invoice", "invoices", "receipt", "receipts", "quote", "quotation", "shipment"}
DOCUMENT_WORDS |= {"booking", "bookings", "reservation", "reservations"}
# what the lines of such a document are called (`order_items`, `invoice_lines`, `oc_order_product`)
LINE_WORDS = {"item", "items", "line", "lines", "product", "products", "detail", "details", "tax", "taxes"}
LINE_WORDS |= {"fee", "fees", "entry", "entries", "total", "totals", "option", "options", "discount", "discounts"}
LINE_WORDS |= {"adjustment", "adjustments", "charge", "charges", "article", "articles", "position", "positions"}
SNAPSHOT_NOTE_RE = re.compile(
    r"snapshot|at the time|as it was|copied|copy of|historical|denormali[sz]|frozen|as of", re.IGNORECASE
)

LOOKUP_LAST = {"types", "type", "kinds", "kind", "statuses", "status", "states", "categories", "category"}
LOOKUP_LAST |= {"countries", "country", "currencies", "currency", "languages", "language", "locales", "locale"}
LOOKUP_LAST |= {"units", "unit", "genders", "regions", "priorities", "levels", "codes", "steps", "stages"}
# reference data whatever its size: a currency or a country has many attributes, yet one row per code
REFERENCE_NOUNS = {"country", "countries", "currency", "currencies", "language", "languages", "locale", "locales"}
REFERENCE_NOUNS |= {"timezone", "timezones"}
LABEL_WORDS = {"name", "title", "label", "code", "description", "desc", "abbrev", "abbreviation", "text", "value"}
LABEL_WORDS |= {"status", "type", "kind", "iso", "symbol"}

SECRET_WORDS = {"password", "passwd", "pwd", "passphrase", "secret", "credentials", "credential", "token"}
SECRET_PAIRS = {("api", "key"), ("private", "key"), ("access", "key"), ("secret", "key"), ("auth", "key")}
TARGET_WORDS = {"host", "hostname", "server", "port", "url", "uri", "endpoint", "domain", "registry", "smtp"}
TARGET_WORDS |= {"ssh", "imap", "ldap", "ftp", "sftp", "bucket", "dsn", "webhook"}
SYSTEM_WORDS = {"smtp", "ssh", "registry", "registries", "ldap", "imap", "pop3", "ftp", "sftp", "oauth"}
SYSTEM_WORDS |= {"integration", "integrations", "connection", "connections", "credential", "credentials"}
SYSTEM_WORDS |= {"provider", "providers", "remote", "remotes", "webhook", "webhooks", "mirror", "mirrors"}
SYSTEM_WORDS |= {"gateway", "gateways", "server", "servers", "cluster", "clusters", "applications", "application"}

PASSWORD_RE = re.compile(
    r"^(encrypted_|hashed_|crypted_)?(password|passwd|pwd|pass)(_?(hash|digest|crypt|salt))?$", re.IGNORECASE
)
LOGIN_WORDS = {"username", "user_name", "login", "email", "email_address", "handle", "userid", "user_login"}
ACCOUNT_LAST = {"user", "users", "account", "accounts", "member", "members", "admin", "admins", "administrator"}
ACCOUNT_LAST |= {"administrators", "operator", "operators", "subscriber", "subscribers", "login", "logins"}

DERIVED_WORDS = {"cache", "cached", "caches", "aggregation", "aggregations", "aggregate", "aggregates", "summary"}
DERIVED_WORDS |= {"summaries", "stats", "statistics", "rollup", "rollups", "materialized", "searchindex", "counters"}
DERIVED_WORDS |= {"daily", "hourly", "monthly", "weekly", "denormalized", "precomputed", "mv"}
PEOPLE_WORDS = {"user", "users", "author", "authors", "creator", "creators", "person", "persons", "people"}
PEOPLE_WORDS |= {"contact", "contacts", "customer", "customers", "member", "members", "employee", "employees"}
PEOPLE_WORDS |= {"artist", "artists", "actor", "actors", "staff", "student", "students", "teacher", "teachers"}
LOOKUP_MAX_ROWS = 10_000  # reference data is small: a table declared larger is not a lookup
ROWS_RE = re.compile(r"^\s*([\d.]+)\s*([kmb]?)", re.IGNORECASE)
SETTINGS_WORDS = {"settings", "setting", "config", "configs", "configuration", "configurations", "preferences"}
SETTINGS_WORDS |= {"preference", "prefs", "options", "option", "properties", "property", "parameters", "params"}
SETTINGS_WORDS |= {"parameter", "meta", "metadata", "variables", "vars", "props", "kv", "plugin"}
METADATA_COLUMNS = {"id", "created_at", "updated_at", "created", "modified", "position", "sort", "sort_order"}
METADATA_COLUMNS |= {"ordinal", "rank", "weight", "priority", "created_on", "updated_on", "inserted_at"}


class Role(str, Enum):
    LOG = "log"  # records of what happened: logs, history, audit trails, events, attempts, sessions
    JUNCTION = "junction"  # links rows of two tables; its key is their foreign keys
    SNAPSHOT = "snapshot"  # keeps other tables' values as they were: orders, order lines, invoices
    LOOKUP = "lookup"  # reference data that other tables point at: a code or a name
    CREDENTIALS = "credentials"  # how to reach another system: a host or service, a user name, a secret
    ACCOUNT = "account"  # people or clients who sign in: a login name or email and a password
    SETTINGS = "settings"  # configuration kept as key-value rows
    DERIVED = "derived"  # computed from other tables and kept for speed: caches, aggregations, summaries


@dataclass(frozen=True)
class TableRoles:
    """The roles of one table, each with the evidence it was inferred from."""

    table: Table
    words: tuple[str, ...]  # the table name's words, without the schema's common prefix
    evidence: dict[Role, str] = field(default_factory=dict)

    def __contains__(self, role: Role) -> bool:
        return role in self.evidence

    def why(self, role: Role) -> str:
        return self.evidence.get(role, "")

    def any(self, *roles: Role) -> Role | None:
        """The first of these roles the table has."""
        return next((r for r in roles if r in self.evidence), None)

    def describe(self, role: Role) -> str:
        """`a log table (its name ends in 'history')`."""
        article = "an" if role.value[0] in "aeiou" else "a"
        return f"{article} {role.value} table ({self.evidence[role]})"


def schema_prefix(table_names: Iterable[str]) -> str | None:
    """A first word shared by most table names (`oc_`, `guacamole_`, `wp_`): the schema's own prefix,
    which says nothing about what a table holds."""
    names = [n for n in table_names if "." not in n]
    if len(names) < 4:
        return None
    counts: dict[str, int] = {}
    for name in names:
        parts = tokens(name)
        if len(parts) > 1 and name.lower().startswith(parts[0] + "_"):
            counts[parts[0]] = counts.get(parts[0], 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] >= 0.6 * len(names) else None


def name_words(table: Table, prefix: str | None) -> tuple[str, ...]:
    parts = tokens(table.name)
    if prefix and len(parts) > 1 and parts[0] == prefix:
        return parts[1:]
    return parts


def roles_of(table: Table, *, referenced: int, fk_columns: frozenset[str], prefix: str | None) -> TableRoles:
    """The roles of `table`, given how many foreign keys point at it, its own foreign key columns and
    the schema's common table-name prefix."""
    parts = name_words(table, prefix)
    found: dict[Role, str] = {}
    note = table.note or ""
    last = parts[-1] if parts else ""

    # log, history, audit, events
    if last in LOG_LAST:
        found[Role.LOG] = f"its name ends in '{last}'"
    elif hit := next((w for w in parts if w in LOG_ANYWHERE), None):
        found[Role.LOG] = f"its name has '{hit}'"
    elif table.setting("audit") is not None:
        found[Role.LOG] = "it is marked `audit`"
    elif note and (m := LOG_NOTE_RE.search(note)):
        found[Role.LOG] = f"its note says '{m.group(0)}'"

    # snapshots of other tables' values
    joined = "_".join(parts)
    snapshot_word = last if last in SNAPSHOT_WORDS else None
    if snapshot_word is None and last in LINE_WORDS:
        snapshot_word = next((w for w in parts[:-1] if w in SNAPSHOT_WORDS), None)
    if snapshot_word is None and len(parts) > 1 and parts[0] in DOCUMENT_WORDS:
        snapshot_word = parts[0]  # `order_recurring`, `invoice_history`: a part of the document
    if snapshot_word is None and "credit_note" in joined and (last in LINE_WORDS or last in ("note", "notes")):
        snapshot_word = "credit note"
    if snapshot_word is not None:
        found[Role.SNAPSHOT] = f"'{snapshot_word}' rows keep the values of the time they were written"
    elif note and (m := SNAPSHOT_NOTE_RE.search(note)):
        found[Role.SNAPSHOT] = f"its note says '{m.group(0)}'"
    elif Role.LOG in found:
        found[Role.SNAPSHOT] = "a log keeps the values of the time it was written"

    # junction tables
    pk = set(table.primary_key)
    if is_junction(table, fk_columns):
        found[Role.JUNCTION] = "its columns are foreign keys to the tables it links"

    # the first column of each kind, and how many columns are content (not bookkeeping such as an id)
    secret = password = target = user = label = None
    content = 0
    for c in table.columns:
        signs = column_signs(c.name)
        if not signs.metadata or c.name in pk:
            content += 1
        if signs is PLAIN:
            continue
        if secret is None and signs.secret:
            secret = c.name
        if password is None and signs.password:
            password = c.name
        if target is None and signs.target:
            target = c.name
        if user is None and signs.user:
            user = c.name
        if label is None and signs.label:
            label = c.name

    # credentials of external systems, and accounts that sign in
    system = next((w for w in parts if w in SYSTEM_WORDS), None)
    if (secret or password) and (target or system) and (user or system):
        why = f"column '{target}'" if target else f"its name has '{system}'"
        found[Role.CREDENTIALS] = f"a secret ('{secret or password}') with {why}"
    elif password and Role.LOG not in found:
        login = next((c.name for c in table.columns if c.name.lower() in LOGIN_WORDS), None)
        if login is not None:
            found[Role.ACCOUNT] = f"'{login}' and '{password}' are how its rows sign in"
    unclaimed = not {Role.ACCOUNT, Role.CREDENTIALS, Role.LOG} & found.keys()
    if unclaimed and last in ACCOUNT_LAST and len(parts) == 1:
        found[Role.ACCOUNT] = f"its name is '{table.name}'"

    # derived data
    if derived := next((w for w in parts if w in DERIVED_WORDS), None):
        found[Role.DERIVED] = f"its name has '{derived}'"

    # lookup (reference) data; people and accounts have names but are not reference data
    small = content <= 5 and not fk_columns and Role.ACCOUNT not in found and not set(parts) & PEOPLE_WORDS
    small = small and _declared_rows(table) <= LOOKUP_MAX_ROWS
    if label is not None and last in REFERENCE_NOUNS and not fk_columns:
        found[Role.LOOKUP] = f"reference data: its name is '{table.name}'"
    elif small and label is not None and (referenced or last in LOOKUP_LAST):
        if referenced:
            found[Role.LOOKUP] = "a small table of names or codes that other tables reference"
        else:
            found[Role.LOOKUP] = f"a small table of names or codes, named '{table.name}'"

    # key-value settings
    if set(parts) & SETTINGS_WORDS and content <= 6:
        value = any(w and w[-1] in ("value", "val", "data") for w in map(words, table.columns))
        if value or any(f in (Family.JSON,) for f in (family(c) for c in table.columns)):
            found[Role.SETTINGS] = "it keeps settings as key-value rows"
    return TableRoles(table, parts, found)


class ColumnSigns(NamedTuple):
    """What a column's name says towards its table's roles."""

    secret: bool  # a password, a token, an API key
    password: bool  # a password by name (`password_hash`)
    target: bool  # where another system is (`host`, `url`)
    user: bool  # who signs in to another system (`username`, `client_id`)
    label: bool  # a name or a code (`title`, `iso_code`)
    metadata: bool  # bookkeeping (`id`, `created_at`, `position`)


PLAIN = ColumnSigns(False, False, False, False, False, False)


@lru_cache(maxsize=65536)
def column_signs(name: str) -> ColumnSigns:
    """The signs of a column name (names repeat across tables: each is read once)."""
    w = words(name)
    signs = ColumnSigns(
        _secret(w),
        PASSWORD_RE.match(name) is not None,
        not TARGET_WORDS.isdisjoint(w),
        _user_name(w),
        bool(w) and w[-1] in LABEL_WORDS,
        name.lower() in METADATA_COLUMNS,
    )
    return PLAIN if signs == PLAIN else signs


def is_junction(table: Table, fk_columns: frozenset[str]) -> bool:
    """A table that links rows of two tables: two foreign keys or more that make its key, or beside which
    it holds only bookkeeping (an id, timestamps, a position)."""
    if len(fk_columns) < 2:
        return False
    pk = set(table.primary_key)
    if len(pk) >= 2 and pk <= fk_columns:
        return True
    lowered = {f.lower() for f in fk_columns}
    return all(c.name.lower() in lowered or c.name.lower() in METADATA_COLUMNS for c in table.columns)


def _declared_rows(table: Table) -> float:
    """The rows a table's `rows` setting declares (0 when it declares none)."""
    setting = table.setting("rows")
    m = ROWS_RE.match(setting.value or "") if setting is not None else None
    if m is None:
        return 0.0
    return float(m.group(1)) * {"": 1, "k": 1e3, "m": 1e6, "b": 1e9}[m.group(2).lower()]


def _user_name(parts: tuple[str, ...]) -> bool:
    """A column that names who signs in to another system: `username`, `login`, `client_id`."""
    joined = "_".join(parts)
    return joined in ("username", "user_name", "user", "login", "client_id", "account", "account_name", "key_id")


def _secret(parts: tuple[str, ...]) -> bool:
    if not parts:
        return False
    if parts[-1] in SECRET_WORDS and not (len(parts) > 1 and parts[-2] in ("reset", "confirmation", "remember")):
        return True
    return any(pair in SECRET_PAIRS for pair in pairwise(parts))


def entity_words(table: Table, prefix: str | None) -> set[str]:
    """Ways a column may name this table's own rows: `user` for `users`, `oc_product` and `product`."""
    parts = name_words(table, prefix)
    out = {table.name.lower(), singular(table.name.lower())}
    if parts:
        joined = "_".join(parts)
        out |= {joined, singular(joined)}
    return out
