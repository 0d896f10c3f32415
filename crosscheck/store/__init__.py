"""The Store: every stage's results go through this one interface.

SQLite (one file, FTS5 search) by default; PostgreSQL (tsvector + GIN) when given a URL.
Only `pipeline.py`, `serve/` and `cli.py` import it.
"""

from crosscheck.store.repo import Store, database_url

__all__ = ["Store", "database_url"]
