"""Records as DBML reads them: accepted spellings, empty fields, warnings for values that do not fit,
and the errors for a wrong shape (two records blocks, an enum that does not exist)."""

from __future__ import annotations

from dbdsl.findings import Severity
from dbdsl.model.schema import Literal

from .test_binder import bind

FLAGS = "Table flags {\n  id int\n  on boolean\n}\n"


def findings_of(text: str) -> list[tuple[str, str, int]]:
    """(severity, code, 1-based line) of each finding, in order."""
    _schema, findings = bind(text)
    return sorted((f.severity.name.lower(), f.code, f.span.start_pos[0] + 1) for f in findings)


def test_boolean_spellings_are_booleans() -> None:
    rows = "1, true\n2, 'f'\n3, 'yes'\n4, \"no\"\n5, 1\n6, '0'\n7, 'T'\n8, 'n'"
    schema, findings = bind(FLAGS + "Records flags(id, on) {\n" + rows + "\n}\n")
    assert findings == []
    values = [row[1] for row in schema.table("flags").records[0].rows]
    assert values == [Literal("boolean", v) for v in ("true", "false") * 4]


def test_empty_fields_and_empty_strings_are_null() -> None:
    text = (
        "Table t {\n  id int\n  n int\n  on bool\n  name varchar\n}\n"
        "Records t(id, n, on, name) {\n  1, , ,\n  2, '', \"\", ''\n  , 3, true, 'x'\n}\n"
    )
    schema, findings = bind(text)
    assert findings == []
    rows = schema.table("t").records[0].rows
    null = Literal("null", "null")
    assert rows[0] == (Literal("number", "1"), null, null, null)
    assert rows[1] == (Literal("number", "2"), null, null, Literal("string", ""))  # '' stays a string in varchar
    assert rows[2][0] == null


def test_values_that_do_not_fit_are_warnings_where_they_stand() -> None:
    text = (
        "Enum state {\n  on\n  off\n}\n"
        "Table t {\n  id int\n  n int\n  price decimal(5,2)\n  code varchar(3)\n"
        "  at timestamp\n  on bool\n  s state\n}\n"
        "Records t(id, n, price, code, at, on, s) {\n"
        "  'x', 1.5, 12345.6, 'abcd', 'soon', 'maybe', 'dim'\n"
        "  1, 1e2, 123.45, 'abc', '2024-01-15 10:30:00', 0, state.on\n"
        "}\n"
    )
    found = findings_of(text)
    assert found == [("warning", "E123", 15)] * 7
    schema, _ = bind(text)
    assert schema.table("t").records[0].rows[1][1] == Literal("number", "100")  # 1e2 in an int column


def test_warning_points_at_the_value() -> None:
    _schema, findings = bind(FLAGS + "Records flags(id, on) {\n  1, 'maybe'\n}\n")
    (finding,) = findings
    assert finding.severity is Severity.WARNING
    assert finding.span.start_pos == (5, 5)  # 0-based: line 6, column 6
    assert "expected true or false" in finding.message


def test_null_in_a_not_null_column_without_default_is_a_warning() -> None:
    text = "Table t {\n  id int [pk, increment]\n  name text [not null]\n  v int [not null, default: 0]\n}\n"
    found = findings_of(text + "Records t(id, name, v) {\n  null, null, null\n}\n")
    assert found == [("warning", "E123", 7)]


def test_two_records_blocks_for_one_table_are_an_error_on_each() -> None:
    inner = "Table t {\n  id int\n  Records {\n    1\n  }\n}\n"
    assert findings_of(inner + "Records t(id) {\n  2\n}\n") == [("error", "E111", 3), ("error", "E111", 7)]
    top = "Table t {\n  id int\n}\nRecords t(id) {\n  1\n}\nRecords t {\n  2\n}\nRecords t(id) {\n  3\n}\n"
    assert findings_of(top) == [("error", "E111", 4), ("error", "E111", 7), ("error", "E111", 10)]


def test_two_records_blocks_each_point_at_the_other() -> None:
    text = "Table t {\n  id int\n  Records {\n    1\n  }\n}\nRecords t(id) {\n  2\n}\n"
    _schema, findings = bind(text)
    lines = {f.span.start_pos[0] + 1: [r.span.start_pos[0] + 1 for r in f.related] for f in findings}
    assert lines == {3: [7], 7: [3]}


def test_a_value_qualified_with_an_unknown_enum_is_an_error() -> None:
    table = "Enum app.status {\n  active\n}\nTable app.users {\n  id int\n  status app.status\n  note text\n}\n"
    assert findings_of(table + "Records app.users(id, status) {\n  1, app.status.active\n}\n") == []
    assert findings_of(table + "Records app.users(id, status) {\n  1, status.active\n}\n") == [("error", "E103", 10)]
    assert findings_of(table + "Records app.users(id, note) {\n  1, unknown_enum.value\n}\n") == [("error", "E103", 10)]
    assert findings_of(table + "Records app.users(id, status) {\n  1, app.status.gone\n}\n") == [("error", "E103", 10)]


def test_inner_records_without_columns_cover_the_partials_columns() -> None:
    text = (
        "TablePartial stamp {\n  at timestamp\n}\n"
        "Table t {\n  id int\n  ~stamp\n  Records {\n    1, '2024-01-15'\n  }\n}\n"
    )
    schema, findings = bind(text)
    assert findings == []
    assert schema.table("t").records[0].columns == ("id", "at")


def test_wrong_number_of_values_is_an_error() -> None:
    assert findings_of(FLAGS + "Records flags(id, on) {\n  1\n}\n") == [("error", "E111", 6)]


def test_every_spelling_of_a_type_family_checks_its_values_alike() -> None:
    """One set of type names for Records, the column analysis and the rules: `int4` is `int`."""
    families = {
        "expected a number": ("int", "integer", "int4", "int8", "serial4", "bigserial", "numeric", "float8", "dec"),
        "expected true or false": ("bool", "boolean"),
        "not a date or time": ("timestamp", "timestamptz", "timetz", "datetime2", "timestamp_ntz"),
    }
    for problem, names in families.items():
        for name in names:
            _schema, findings = bind(f"Table t {{\n  a {name}\n}}\nRecords t(a) {{\n  'abc'\n}}\n")
            assert [(f.code, problem in f.message) for f in findings] == [("E123", True)], name
    _schema, findings = bind("Table t {\n  a money\n}\nRecords t(a) {\n  '$1.00'\n}\n")
    assert findings == []  # money is written as the engine reads it
