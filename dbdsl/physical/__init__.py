"""The physical design: what a schema's design facts become in the database beyond its tables.

- `partitions`: partitioned tables from `partition_by` (the plain schema and migrations use it too);
- `security`: the owner, application and read-only roles, privileges, row-level security from the
  Project's `tenant_key`;
- `audit`: the audit table and trigger of tables flagged `audited`;
- `retention`: the purge of rows past a table's (or the Project's) `retention`;
- `script`: all of it as one PostgreSQL script (`dbdsl sql --with ...`), which the design document
  quotes;
- `access`: what each role may do with each table (the one source of the GRANTs).
"""
