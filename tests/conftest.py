"""Fixtures shared by every test: real seed articles and the labelled public data in ../shared."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"
SHARED = REPO.parent / "shared"  # CI clones the repo with shared/ beside it


@pytest.fixture
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture
def seed_texts() -> dict[str, str]:
    """{"000": text of the translated aggregator article, "003": text of the AI-written one}."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return data
