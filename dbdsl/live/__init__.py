"""Live databases: connections from URLs, the migration history and its lock, reading a catalog back
into the schema model (`dbdsl pull`, `dbdsl diff`, `dbdsl migrate apply|rollback|status`)."""
