"""Models for the teams that write code against the design: SQLAlchemy 2.0 (`sqlalchemy.py`) and
Django (`django.py`), from the tables as `dbdsl sql` makes them (`model.py`), with Python names that
are valid, free of keywords and of the names each ORM reserves (`names.py`)."""

from __future__ import annotations

TARGETS = ("sqlalchemy", "django")
