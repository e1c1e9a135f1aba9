"""What MySQL dumps say that the schema language can say comes over: inline keys with their names and
kinds, table options, unsigned types, ON UPDATE, typed INSERT values in one Records block; what it
cannot say (generated columns) is listed."""

from __future__ import annotations

from dbdsl.importers.sql import import_sql

DUMP = """\
CREATE TABLE `users` (
  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,
  `email` varchar(191) NOT NULL,
  `bio` text,
  `score` double DEFAULT '0',
  `born` date,
  `active` boolean,
  `updated_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `total` decimal(10,2) GENERATED ALWAYS AS (`score` * 2) STORED,
  `half` int GENERATED ALWAYS AS (`id` / 2) VIRTUAL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `users_email_unique` (`email`),
  KEY `users_score_index` (`score`),
  INDEX `by_update` (`updated_at` DESC),
  FULLTEXT KEY `users_bio_fulltext` (`bio`)
) ENGINE=MyISAM AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='people';
INSERT INTO `users` (`id`, `email`, `born`, `active`) VALUES ('111', 'a@b', '1962/2/18', 't');
INSERT INTO `users` (`id`, `email`, `born`, `active`) VALUES (2, 'c@d', '1970-01-01', '0');
"""


def test_a_mysql_dump_keeps_what_the_language_can_say() -> None:
    result = import_sql(DUMP, "mysql")
    (users,) = result.schema.tables
    assert users.column("id").type.text == "int unsigned" and users.column("id").increment
    assert users.column("score").default.kind == "number"
    assert [(s.key, s.value) for s in users.settings] == [
        ("engine", "MyISAM"),
        ("charset", "utf8mb4"),
        ("collation", "utf8mb4_unicode_ci"),
    ]
    assert users.note == "people"
    indexes = [(tuple((k.kind, k.value) for k in i.keys), i.name, i.unique, i.type) for i in users.indexes]
    assert indexes == [
        ((("column", "email"),), "users_email_unique", True, None),
        ((("column", "score"),), "users_score_index", False, None),
        ((("expression", "updated_at DESC"),), "by_update", False, None),
        ((("column", "bio"),), "users_bio_fulltext", False, "fulltext"),
    ]
    (records,) = users.records
    assert records.columns == ("id", "email", "born", "active")
    assert [[(v.kind, v.value) for v in row] for row in records.rows] == [
        [("number", "111"), ("string", "a@b"), ("string", "1962-02-18"), ("boolean", "true")],
        [("number", "2"), ("string", "c@d"), ("string", "1970-01-01"), ("boolean", "false")],
    ]
    assert [(s.key, s.value) for s in users.column("updated_at").settings] == [("on_update", "CURRENT_TIMESTAMP()")]
    assert [s.message for s in result.skipped] == [
        "users.total: generated column (AS (score * 2) STORED) imported as a plain column",
        "users.half: generated column (AS (id / 2) VIRTUAL) imported as a plain column",
    ]


def test_inserts_naming_different_columns_are_merged_and_listed() -> None:
    sql = (
        "CREATE TABLE t (id int, name varchar(10) DEFAULT 'x', n int);\n"
        "INSERT INTO t (id, name) VALUES (1, 'a');\n"
        "INSERT INTO t (id, n) VALUES (2, 5);\n"
    )
    result = import_sql(sql, "mysql")
    (records,) = result.schema.table("t").records
    assert records.columns == ("id", "name", "n")
    assert [[v.value for v in row] for row in records.rows] == [["1", "a", "null"], ["2", "x", "5"]]
    assert [s.line for s in result.skipped] == [2]


def test_postgres_types_generated_columns_and_index_methods() -> None:
    sql = (
        "CREATE TABLE a (id int PRIMARY KEY);\n"
        "CREATE TABLE t (id int REFERENCES a (id), x double precision, b int GENERATED ALWAYS AS (id * 2) VIRTUAL,"
        " e vector(3));\n"
        "CREATE INDEX t_e ON t USING hnsw (e);\n"
    )
    result = import_sql(sql, "postgres")
    t = result.schema.table("t")  # the table with a virtual generated column is kept, with its foreign key
    assert [c.name for c in t.columns] == ["id", "x", "b", "e"] and len(result.schema.refs) == 1
    assert t.column("x").type.text == "double precision"
    assert [(i.name, i.type) for i in t.indexes] == [("t_e", "hnsw")]
    assert [s.message for s in result.skipped] == ["t.b: generated column (AS (id * 2)) imported as a plain column"]


def test_mysql_key_prefixes_are_kept() -> None:
    """`KEY k (a(10))` indexes the first 10 characters: imported as the key `a(10)`, which the MySQL
    output writes back as a prefix and the other engines as the whole column (with a warning)."""
    from dbdsl.emit.sql import generate

    sql = "CREATE TABLE t (id int, a text, b varbinary(32), KEY k (a(10)));\nCREATE INDEX j ON t (b(8), id);\n"
    result = import_sql(sql, "mysql")
    t = result.schema.table("t")
    assert [[(k.kind, k.value) for k in i.keys] for i in t.indexes] == [
        [("expression", "a(10)")],
        [("expression", "b(8)"), ("column", "id")],
    ]
    assert result.skipped == []
    mysql = generate(result.schema, "mysql").text()
    assert "CREATE INDEX `k` ON `t`(`a`(10));" in mysql and "CREATE INDEX `j` ON `t`(`b`(8), `id`);" in mysql
    postgres = generate(result.schema, "postgres")
    assert 'CREATE INDEX "k" ON "t"("a");' in postgres.text()
    assert "t: index k: a key prefix (a(10)) is MySQL's; the whole column is indexed" in postgres.warnings
