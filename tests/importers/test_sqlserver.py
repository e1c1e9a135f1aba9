"""SQL Server scripts (SSDT table files, hand-written scripts with `GO` batches) keep every key and index."""

from __future__ import annotations

from dbdsl.emit.sql import generate
from dbdsl.importers.sql import import_sql
from tests.rules.helpers import analyze

SSDT = """\
CREATE TABLE [dbo].[Org] (
    [Id]   UNIQUEIDENTIFIER NOT NULL,
    [Name] NVARCHAR (50)    NOT NULL,
    CONSTRAINT [PK_Org] PRIMARY KEY CLUSTERED ([Id] ASC),
    CONSTRAINT [UQ_Org_Name] UNIQUE NONCLUSTERED ([Name] ASC)
);
GO
CREATE TABLE [dbo].[Member]
(
    [OrgId]  UNIQUEIDENTIFIER NOT NULL,
    [UserId] UNIQUEIDENTIFIER NOT NULL,
    [Date]   DATETIME2 (7)    NOT NULL,
    CONSTRAINT [PK_Member] PRIMARY KEY CLUSTERED ([OrgId] ASC, [UserId] ASC),
    CONSTRAINT [FK_Member_Org] FOREIGN KEY ([OrgId]) REFERENCES [dbo].[Org] ([Id]) ON DELETE CASCADE
)

CREATE NONCLUSTERED INDEX [IX_Member_UserId]
    ON [dbo].[Member]([UserId] ASC, [Date] DESC)
    INCLUDE ([OrgId])
    WHERE [UserId] IS NOT NULL
GO
CREATE UNIQUE INDEX [IX_Org_Name_Id] ON [dbo].[Org]([Name], [Id]);
"""


def test_table_constraints_and_indexes_of_an_ssdt_script_are_kept() -> None:
    result = import_sql(SSDT, "mssql")
    assert result.warnings == []
    org, member = result.schema.tables
    assert (org.name, member.name) == ("Org", "Member")  # no semicolon after Member: still its own statement
    assert org.primary_key == ("Id",)
    assert [(i.columns, i.unique, i.name) for i in org.indexes if not i.pk] == [
        (("Name",), True, "UQ_Org_Name"),
        (("Name", "Id"), True, "IX_Org_Name_Id"),
    ]
    assert member.primary_key == ("OrgId", "UserId")
    (index,) = [i for i in member.indexes if not i.pk]
    assert index.name == "IX_Member_UserId"
    assert [(k.kind, k.value) for k in index.keys] == [("column", "UserId"), ("expression", '"Date" DESC')]
    assert index.include == ("OrgId",) and index.where is not None
    (ref,) = result.schema.refs
    assert (ref.fk_side.table, ref.fk_side.columns, ref.pk_side.table, ref.on_delete) == (
        "Member",
        ("OrgId",),
        "Org",
        "cascade",
    )


SCRIPT = (
    "CREATE TABLE [dbo].[users] (\r\n"
    "\t[user_id] [int] IDENTITY (1, 1) NOT NULL ,\r\n"
    "\t[username] [varchar] (128) COLLATE Latin1_General_CI_AI NOT NULL ,\r\n"
    "\t[created] [datetime] NOT NULL\r\n"
    ") ON [PRIMARY] TEXTIMAGE_ON [PRIMARY]\r\n"
    "GO\r\n"
    "ALTER TABLE [dbo].[users] WITH NOCHECK ADD \r\n"
    "\t PRIMARY KEY CLUSTERED \r\n"
    "\t(\r\n\t\t[user_id]\r\n\t) ON [PRIMARY] \r\n"
    "GO\r\n"
    "ALTER TABLE [dbo].[users] ADD \r\n"
    "\tCONSTRAINT [DF_users_username] DEFAULT ('') FOR [username],\r\n"
    "\tCONSTRAINT [DF_users_created] DEFAULT (getdate()) FOR [created],\r\n"
    "\tCHECK ([username] <> 'root')\r\n"
    "GO\r\n"
    "CREATE UNIQUE INDEX [IX_users_username] ON [dbo].[users]([username]) ON [PRIMARY]\r\n"
    "GO\r\n"
    "CREATE TRIGGER [t] ON [dbo].[users]\r\n"
    "    AFTER DELETE AS\r\n"
    "    DELETE FROM [dbo].[users] WHERE [user_id] IN (SELECT [user_id] FROM deleted)\r\n"
    "GO\r\n"
)


def test_a_hand_written_script_with_storage_clauses_and_added_defaults() -> None:
    """Roundcube's style: filegroups, WITH NOCHECK, keys and `DEFAULT ... FOR` added after the table."""
    result = import_sql(SCRIPT, "mssql")
    (users,) = result.schema.tables
    assert users.primary_key == ("user_id",) and users.column("user_id").increment
    assert users.column("username").default.value == ""
    assert users.column("created").default.kind == "expression"
    assert [c.expression for c in users.checks] == ["username <> 'root'"]
    assert [(i.columns, i.unique, i.name) for i in users.indexes] == [(("username",), True, "IX_users_username")]
    assert [(s.line, s.message.split(", ")[-1]) for s in result.skipped] == [
        (1, "users.username: collation Latin1_General_CI_AI left out"),
        (20, "triggers are not part of a schema model"),
    ]


def test_extended_properties_are_notes_both_ways() -> None:
    """What `dbdsl sql --dialect mssql` writes for notes (named arguments), and the positional form."""
    text = "Table users {\n  id bigint [pk, increment]\n  name varchar(20) [note: 'it\\'s the name']\n"
    schema = analyze(text + "  Note: 'people'\n}\n").schema
    script = generate(schema, "mssql").text()
    script += (
        "\nEXEC sp_addextendedproperty N'MS_Description', N'the key', N'SCHEMA', N'dbo', N'TABLE', N'users', "
        "N'COLUMN', N'id';\nEXEC sp_addextendedproperty @name = N'Owner', @value = N'ops';\n"
    )
    result = import_sql(script, "mssql")
    users = result.schema.table("users")
    assert (users.note, users.column("name").note, users.column("id").note) == ("people", "it's the name", "the key")
    assert [s.message.split(", ")[-1] for s in result.skipped] == ["only MS_Description properties are notes"]
