"""The Store behaves the same on SQLite and PostgreSQL (every test runs on both)."""

from datetime import datetime, timedelta, timezone

from crosscheck.model import Analysis, Article, Entity, Evidence, Mention, Provenance, RelatedLink
from crosscheck.store import Store


def make_article(n: int, **kw) -> Article:
    defaults = dict(id=f"a{n}", title=f"Title {n}", text=f"Body number {n} about Takaichi and Trump.",
                    content_hash=f"hash{n}", published=datetime(2026, 1, n, 9, 30, tzinfo=timezone.utc))
    defaults.update(kw)
    return Article(**defaults)


def test_migrations_reach_the_newest_version_and_reopening_changes_nothing(db_url):
    store = Store.open(db_url)
    assert store.schema_version() == Store.newest_version()
    store.add_article(make_article(1))
    store.close()
    again = Store.open(db_url)
    assert again.schema_version() == Store.newest_version()
    assert again.count_articles() == 1


def test_article_round_trips_with_provenance_related_links_and_aware_dates(store):
    original = make_article(
        2, url="https://example.org/a", canonical_url="https://example.org/a", source="Example Times",
        published=datetime(2026, 1, 2, 18, 0, tzinfo=timezone(timedelta(hours=9))),
        provenance=Provenance(ai_generated=True, cited_origins=["Nikkei"], notices=["AI notice"]),
        related=[RelatedLink("Another story", "https://example.org/b")])
    store.add_article(original, b"\x00\x01signature")
    back = store.get_article("a2")
    assert back.provenance == original.provenance
    assert back.related == original.related
    assert back.published == original.published  # same instant, returned in UTC
    assert back.published.tzinfo is not None


def test_existing_article_is_found_by_id_canonical_url_or_same_text(store):
    store.add_article(make_article(1, canonical_url="https://example.org/x"))
    assert store.find_existing(make_article(9, canonical_url="https://example.org/x")) == "a1"
    assert store.find_existing(make_article(9, content_hash="hash1")) == "a1"
    assert store.find_existing(make_article(1, content_hash="other")) == "a1"
    assert store.find_existing(make_article(9)) is None


def test_search_finds_words_and_treats_query_syntax_as_plain_text(store):
    store.add_article(make_article(1, title="Takaichi plans Washington visit"))
    store.add_article(make_article(2, title="Unrelated", text="Weather in Oslo."))
    assert [h.article_id for h in store.search("Washington visit")] == ["a1"]
    for hostile in ['"; DROP TABLE articles; --', "visit* OR NEAR(", "' OR 1=1 --", ")(", ""]:
        assert isinstance(store.search(hostile), list)
    assert store.count_articles() == 2


def test_search_filters_by_source_and_date(store):
    store.add_article(make_article(1, source="Kyodo", text="Summit talks in Tokyo."))
    store.add_article(make_article(5, source="Nikkei", text="Summit talks in Osaka."))
    assert [h.article_id for h in store.search("summit", source="Nikkei")] == ["a5"]
    since = datetime(2026, 1, 3, tzinfo=timezone.utc)
    assert [h.article_id for h in store.search("summit", since=since)] == ["a5"]


def test_story_counts_copies_and_aggregations_of_one_agency_once(store):
    store.add_article(make_article(1, source="Kyodo News"))
    store.add_article(make_article(2, duplicate_of="a1", source="Reprint Daily"))
    store.add_article(make_article(3, source="Aggregator",
                                   provenance=Provenance(translated=True, cited_origins=["Kyodo News"])))
    store.add_article(make_article(4, source="Nikkei"))
    for n in (1, 2, 3, 4):
        store.assign_story(f"a{n}", "s1")
    store.save_story("s1", title="Story", profile={})
    row = store.get_story("s1")
    assert row.article_count == 4
    # a2 is a copy of a1 and a3 aggregates Kyodo: both count as Kyodo News; Nikkei is the second
    assert row.origin_count == 2
    assert row.first_published.day == 1 and row.last_published.day == 4


def test_saving_an_analysis_twice_replaces_mentions_and_merges_entity_aliases(store):
    store.add_article(make_article(1))
    ev = Evidence("a1", 0, 21, 29)
    first = Analysis("a1", mentions=[Mention("Takaichi", "PERSON", ev, "person:sanae-takaichi")],
                     entities=[Entity("person:sanae-takaichi", "Sanae Takaichi", "PERSON", ["Takaichi"])])
    second = Analysis("a1", mentions=[Mention("Takaichi", "PERSON", ev, "person:sanae-takaichi")],
                      entities=[Entity("person:sanae-takaichi", "Sanae Takaichi", "PERSON", ["PM Takaichi"])])
    store.save_analysis(first)
    store.save_analysis(second)
    assert store.get_analyses(["a1"]) == [second]
    assert store.get_entity("person:sanae-takaichi").aliases == ["PM Takaichi", "Takaichi"]
    store.assign_story("a1", "s1")
    store.save_story("s1", title="t", profile={})
    assert store.entity_story_ids("person:sanae-takaichi") == ["s1"]


def test_related_stories_share_people_or_organisations_not_just_places(store):
    ev = Evidence("x", 0, 0, 1)
    for n, story, keys in ((1, "s1", ["person:trump", "gpe:japan", "gpe:united-states"]),
                           (2, "s2", ["person:trump"]), (3, "s3", ["gpe:japan", "gpe:united-states"])):
        store.add_article(make_article(n))
        store.save_analysis(Analysis(f"a{n}", mentions=[Mention(k, "X", ev, k) for k in keys]))
        store.assign_story(f"a{n}", story)
        store.save_story(story, title=story, profile={})
    assert store.related_story_ids("s1") == ["s2"]


def test_pending_articles_are_those_without_a_story_in_publication_order(store):
    store.add_article(make_article(3))
    store.add_article(make_article(1))
    store.add_article(make_article(2))
    store.assign_story("a2", "s1")
    assert [a.id for a in store.pending_articles()] == ["a1", "a3"]


def test_written_story_is_no_longer_stale(store):
    from crosscheck.model import Written

    store.add_article(make_article(1))
    store.assign_story("a1", "s1")
    store.save_story("s1", title="t", profile={"terms": {"x": 1}})
    assert store.stale_story_ids() == ["s1"]
    store.save_written("s1", Written("s1", "extractive", seo_title="T"), [])
    assert store.stale_story_ids() == []
    assert store.get_written("s1")[0].seo_title == "T"
    assert store.load_profiles(None) == [("s1", store.get_story("s1").last_published, {"terms": {"x": 1}})]
