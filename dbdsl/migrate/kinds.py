"""The kinds of change a migration is made of, each with how people say it (`add column`). A kind is a
`StrEnum`, so `change.kind == "add_column"` still reads well; what acts on a kind (rendering, ordering,
safety) looks it up in an explicit table, so a search for `ChangeKind.ADD_COLUMN` finds every place."""

from __future__ import annotations

from enum import StrEnum


class ChangeKind(StrEnum):
    CREATE_SCHEMA = "create_schema"
    CREATE_ENUM = "create_enum"
    DROP_ENUM = "drop_enum"
    RENAME_ENUM = "rename_enum"
    ADD_ENUM_VALUE = "add_enum_value"
    RENAME_ENUM_VALUE = "rename_enum_value"
    RECREATE_ENUM = "recreate_enum"
    ENUM_COMMENT = "enum_comment"
    CREATE_TABLE = "create_table"
    DROP_TABLE = "drop_table"
    RENAME_TABLE = "rename_table"
    TABLE_COMMENT = "table_comment"
    ADD_COLUMN = "add_column"
    DROP_COLUMN = "drop_column"
    RENAME_COLUMN = "rename_column"
    ALTER_TYPE = "alter_type"
    SET_NOT_NULL = "set_not_null"
    DROP_NOT_NULL = "drop_not_null"
    SET_DEFAULT = "set_default"
    DROP_DEFAULT = "drop_default"
    ADD_IDENTITY = "add_identity"
    DROP_IDENTITY = "drop_identity"
    COLUMN_COMMENT = "column_comment"
    ADD_PRIMARY_KEY = "add_primary_key"
    DROP_PRIMARY_KEY = "drop_primary_key"
    ADD_UNIQUE = "add_unique"
    DROP_UNIQUE = "drop_unique"
    ADD_CHECK = "add_check"
    DROP_CHECK = "drop_check"
    ADD_FOREIGN_KEY = "add_foreign_key"
    DROP_FOREIGN_KEY = "drop_foreign_key"
    CREATE_INDEX = "create_index"
    DROP_INDEX = "drop_index"
    RENAME_OBJECT = "rename_object"
    REPARTITION_TABLE = "repartition_table"
    REBUILD_TABLE = "rebuild_table"  # a plan step only: SQLite's rebuild of a table for several changes

    @property
    def label(self) -> str:
        """How people say it: `add column`, `set NOT NULL`."""
        return LABELS[self]


LABELS: dict[ChangeKind, str] = {
    ChangeKind.CREATE_SCHEMA: "create schema",
    ChangeKind.CREATE_ENUM: "create enum",
    ChangeKind.DROP_ENUM: "drop enum",
    ChangeKind.RENAME_ENUM: "rename enum",
    ChangeKind.ADD_ENUM_VALUE: "add enum value",
    ChangeKind.RENAME_ENUM_VALUE: "rename enum value",
    ChangeKind.RECREATE_ENUM: "recreate enum",
    ChangeKind.ENUM_COMMENT: "comment on enum",
    ChangeKind.CREATE_TABLE: "create table",
    ChangeKind.DROP_TABLE: "drop table",
    ChangeKind.RENAME_TABLE: "rename table",
    ChangeKind.TABLE_COMMENT: "comment on table",
    ChangeKind.ADD_COLUMN: "add column",
    ChangeKind.DROP_COLUMN: "drop column",
    ChangeKind.RENAME_COLUMN: "rename column",
    ChangeKind.ALTER_TYPE: "change type",
    ChangeKind.SET_NOT_NULL: "set NOT NULL",
    ChangeKind.DROP_NOT_NULL: "drop NOT NULL",
    ChangeKind.SET_DEFAULT: "set default",
    ChangeKind.DROP_DEFAULT: "drop default",
    ChangeKind.ADD_IDENTITY: "add identity",
    ChangeKind.DROP_IDENTITY: "drop identity",
    ChangeKind.COLUMN_COMMENT: "comment on column",
    ChangeKind.ADD_PRIMARY_KEY: "add primary key",
    ChangeKind.DROP_PRIMARY_KEY: "drop primary key",
    ChangeKind.ADD_UNIQUE: "add unique constraint",
    ChangeKind.DROP_UNIQUE: "drop unique constraint",
    ChangeKind.ADD_CHECK: "add check",
    ChangeKind.DROP_CHECK: "drop check",
    ChangeKind.ADD_FOREIGN_KEY: "add foreign key",
    ChangeKind.DROP_FOREIGN_KEY: "drop foreign key",
    ChangeKind.CREATE_INDEX: "create index",
    ChangeKind.DROP_INDEX: "drop index",
    ChangeKind.RENAME_OBJECT: "rename",
    ChangeKind.REPARTITION_TABLE: "change partitioning of",
    ChangeKind.REBUILD_TABLE: "rebuild table",
}
