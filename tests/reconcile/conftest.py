import pytest

from crosscheck.understand import analyze, link_entities
from tests.understand.seed_articles import seed_000, seed_003, teasers_003


@pytest.fixture(scope="session")
def seed_articles():
    from tests.conftest import SEEDS

    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
    return {"000": seed_000(texts["000"]), "003": seed_003(texts["003"]),
            "teasers": teasers_003(texts["003"])}


@pytest.fixture(scope="session")
def seed_analyses(seed_articles):
    """000 and 003 analysed together and linked as one story (as the pipeline does)."""
    analyses = analyze([seed_articles["000"], seed_articles["003"]])
    link_entities(analyses)
    return {"000": analyses[0], "003": analyses[1]}
