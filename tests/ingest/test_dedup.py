"""Identity and duplicates: canonical URLs, content hashes, MinHash near-duplicates."""

from crosscheck.ingest import NearDuplicateIndex, canonical_url, content_hash, signature, similarity


def test_content_hash_ignores_spacing_and_case(seed_texts):
    text = seed_texts["000"]
    assert content_hash(text) == content_hash("  " + text.upper().replace(" ", "  \n"))
    assert content_hash(text) != content_hash(seed_texts["003"])


def test_canonical_url_drops_tracking_fragment_and_trailing_slash():
    assert canonical_url("HTTPS://WWW.Example.com/News/Story/?utm_source=rss&utm_medium=x#top") == (
        "https://www.example.com/News/Story"
    )
    assert canonical_url("toutiao.com/article/1852404262547456/") == "https://toutiao.com/article/1852404262547456"


def test_signature_is_deterministic_bytes(seed_texts):
    first = signature(seed_texts["003"])
    assert isinstance(first, bytes) and first == signature(seed_texts["003"])


def test_lightly_edited_copy_is_linked_to_the_first_copy(seed_texts):
    original = seed_texts["003"]
    edited = original.replace("a calculated move", "a carefully calculated move").replace("Beijing", "China")
    index = NearDuplicateIndex()
    index.add("first", signature(original))
    assert similarity(signature(original), signature(edited)) > 0.7
    assert index.query(signature(edited)) == "first"


def test_query_returns_the_earliest_added_copy(seed_texts):
    index = NearDuplicateIndex()
    index.add("first", signature(seed_texts["003"]))
    index.add("second", signature(seed_texts["003"] + " An added closing line."))
    assert index.query(signature(seed_texts["003"])) == "first"


def test_two_outlets_on_the_same_story_are_not_duplicates(seed_texts):
    index = NearDuplicateIndex()
    index.add("seed-000", signature(seed_texts["000"]))
    assert index.query(signature(seed_texts["003"])) is None
