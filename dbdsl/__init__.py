"""dbdsl: a language server and command-line toolkit for a DBML-compatible database schema language."""

__version__ = "0.1.0"
