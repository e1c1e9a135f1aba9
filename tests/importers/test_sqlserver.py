"""SQL Server scripts (SSDT table files, hand-written scripts with `GO` batches) keep every key and index."""

from __future__ import annotations

from dbdsl.importers.sql import import_sql

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
