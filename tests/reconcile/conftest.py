"""The seed articles, built as ingest would hand them over (see tests/understand/seed_articles.py)."""

from tests.understand.conftest import seed_analyses, seed_articles  # noqa: F401  (fixtures)
