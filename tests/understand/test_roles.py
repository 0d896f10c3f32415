def _roles(analysis):
    return {(r.holder_name, r.role) for r in analysis.roles}


def test_japanese_prime_minister_in_000_is_takahashi(seed_analyses):
    assert ("Takahashi Hayato", "Prime Minister of Japan") in _roles(seed_analyses["000"])


def test_japanese_prime_minister_in_003_is_takaichi(seed_analyses):
    assert ("Sanae Takaichi", "Prime Minister of Japan") in _roles(seed_analyses["003"])


def test_us_president_role_is_normalised(seed_analyses):
    assert ("Trump", "President of the United States") in _roles(seed_analyses["000"])


def test_role_holders_are_linked_entities(seed_analyses):
    for analysis in seed_analyses.values():
        keys = {e.key for e in analysis.entities}
        assert all(r.holder in keys for r in analysis.roles)


def test_role_evidence_quotes_title_and_name(seed_articles, seed_analyses):
    text = seed_articles["000"].text
    quoted = {text[r.evidence.start:r.evidence.end] for r in seed_analyses["000"].roles}
    assert "Japanese Prime Minister Takahashi Hayato" in quoted
    assert "U.S. President Trump" in quoted
