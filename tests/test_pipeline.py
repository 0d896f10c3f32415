"""The whole flow on real inputs: the seed articles, saved pages and deliberately bad files."""

import shutil

import pytest

from crosscheck import pipeline
from crosscheck.store import Store

from tests.conftest import FIXTURES


def ingest(store, settings, *targets):
    return pipeline.ingest_targets(store, [str(t) for t in targets], settings)


def seed_articles(store):
    story = store.list_stories()[0]
    by_file = {a.input_name.rsplit("/", 1)[-1][:3]: a for a in store.story_articles(story.id)}
    return story, by_file


def test_the_two_seed_articles_form_one_story(store, settings, seed_dir):
    report = ingest(store, settings, seed_dir)
    assert report.ok and len(report.added) == 2
    assert store.count_stories() == 1
    story, by_file = seed_articles(store)
    assert set(by_file) == {"000", "003"}
    assert story.article_count == 2


def test_seed_provenance_survives_storage(store, settings, seed_dir):
    ingest(store, settings, seed_dir)
    _, by_file = seed_articles(store)
    aggregator, ai_written = by_file["000"], by_file["003"]
    assert ai_written.provenance.ai_generated
    assert "Related Articles" not in ai_written.text
    assert "Pakistan military" not in ai_written.text
    assert "Sign in to join" not in ai_written.text
    assert any("Pakistan" in link.text for link in ai_written.related)
    assert aggregator.provenance.opinion
    assert "toutiao.com/article/1852404262547456" in aggregator.provenance.original_url
    cited = set(aggregator.provenance.cited_origins) | set(ai_written.provenance.cited_origins)
    assert {"Kyodo News", "Nikkei"} <= cited


def test_reingesting_the_same_inputs_changes_nothing(store, settings, seed_dir):
    ingest(store, settings, seed_dir)
    before = (store.count_articles(), store.count_stories(), store.list_stories()[0].id)
    again = ingest(store, settings, seed_dir)
    assert again.added == [] and again.duplicates == 2 and again.ok
    assert (store.count_articles(), store.count_stories(), store.list_stories()[0].id) == before


def test_bad_inputs_give_one_error_each_and_every_good_record_is_stored(store, settings, tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "bad", folder)
    shutil.copytree(FIXTURES / "seeds", folder / "seeds")
    report = ingest(store, settings, folder)
    good_lines = [line for line in (folder / "mixed.jsonl").read_text().splitlines()
                  if line.strip().startswith("{") and line.strip().endswith("}")]
    names = " ".join(report.errors)
    assert "truncated-page.html" in names and "photo.png" in names and "mixed.jsonl" in names
    assert all(line.startswith("error: ") and "\n" not in line for line in report.errors)
    assert len(report.added) >= 2 + len(good_lines) - 1  # seeds + good JSONL records
    assert store.count_articles() == len(report.added)


def test_bad_inputs_never_touch_what_is_already_stored(store, settings, seed_dir, tmp_path):
    ingest(store, settings, seed_dir)
    stored = {a.id: a.text for a in store.story_articles(store.list_stories()[0].id)}
    report = ingest(store, settings, FIXTURES / "bad", tmp_path / "missing-file.html")
    assert any("missing-file.html" in line for line in report.errors)
    for article_id, text in stored.items():
        assert store.get_article(article_id).text == text


def test_near_duplicate_joins_the_story_as_the_same_origin(store, settings, seed_dir, tmp_path):
    ingest(store, settings, seed_dir)
    original = (seed_dir / "003_34eb58105dafcdaf.txt").read_text()
    copy = tmp_path / "syndicated.txt"
    copy.write_text(original.replace("It's a race to Washington", "It is a race to Washington"))
    report = ingest(store, settings, copy)
    assert report.near_duplicates == 1
    story = store.list_stories()[0]
    assert store.count_stories() == 1
    assert story.article_count == 3 and story.origin_count == 2


def test_an_interrupted_run_is_finished_by_the_next_one(store, settings, seed_dir, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(pipeline, "update_stories", crash)
    try:
        ingest(store, settings, seed_dir)
    except RuntimeError:
        pass
    assert store.count_articles() == 2 and store.count_stories() == 0
    monkeypatch.undo()
    report = ingest(store, settings, seed_dir)
    assert report.duplicates == 2
    assert store.count_stories() == 1 and store.list_stories()[0].article_count == 2
    assert store.stale_story_ids() == []


def test_a_crash_while_saving_story_headers_leaves_no_article_in_a_headerless_story(
        store, settings, seed_dir, tmp_path, monkeypatch):
    # Two stories in one pass (the seeds and an unrelated page); the second header fails to save.
    other = tmp_path / "other"
    other.mkdir()
    (other / "harbour.txt").write_text("Harbour council approves dredging budget\n\nThe harbour council "
                                       "approved a dredging budget on Tuesday after a long debate.\n")
    titles = []

    def title_then_crash(members):
        titles.append(members)
        if len(titles) == 2:
            raise RuntimeError("power cut")
        return pipeline.story_title(members)

    monkeypatch.setattr(pipeline, "story_title", title_then_crash)
    with pytest.raises(RuntimeError):
        ingest(store, settings, seed_dir, other)
    # All of the pass or none of it: the articles are pending again, no story half-saved.
    assert store.count_stories() == 0 and len(store.pending_articles()) == 3
    monkeypatch.undo()
    ingest(store, settings, seed_dir, other)
    for row in store.list_stories():
        assert row.article_count == len(store.story_articles(row.id))
    assert store.pending_articles() == []


def test_every_story_is_written_with_cited_sentences(store, settings, seed_dir):
    ingest(store, settings, seed_dir)
    story = store.list_stories()[0]
    written, _ = store.get_written(story.id)
    assert written.summary
    texts = {a.id: a.text for a in store.story_articles(story.id)}
    for sentence in written.summary:
        assert sentence.citations
        for citation in sentence.citations:
            ev = citation.evidence
            assert written.sources[citation.number - 1] == ev.article_id
            assert texts[ev.article_id][ev.start:ev.end]  # the cited span exists


def test_store_reopened_from_its_url_sees_the_same_stories(db_url, settings, seed_dir):
    first = Store.open(db_url)
    ingest(first, settings, seed_dir)
    first.close()
    assert Store.open(db_url).count_stories() == 1


def test_recluster_merges_a_split_story_and_the_retired_id_redirects(store, settings, seed_dir):
    ingest(store, settings, seed_dir)
    [story] = store.list_stories()
    split_off = store.story_articles(story.id)[-1]
    store.assign_story(split_off.id, "s-split-by-mistake")  # as an earlier, worse clusterer might have
    store.save_story("s-split-by-mistake", title=split_off.title, profile={})
    store.save_story(story.id, title=story.title, profile=story_profile(store, story.id))
    assert store.count_stories() == 2

    done = pipeline.recluster(store, settings, days=None)
    assert (done.stories_before, done.stories_after) == (2, 1)
    [merged] = store.list_stories()
    assert merged.article_count == 2
    retired = {"s-split-by-mistake", story.id} - {merged.id}
    for old in retired:
        assert store.resolve_story_id(old) == merged.id
    assert store.stale_story_ids() == []


def test_recluster_keeps_ids_when_nothing_changes(store, settings, seed_dir):
    ingest(store, settings, seed_dir)
    before = [(s.id, s.article_count) for s in store.list_stories()]
    done = pipeline.recluster(store, settings, days=30)
    assert done.moved == 0 and done.renamed == {}
    assert [(s.id, s.article_count) for s in store.list_stories()] == before


def story_profile(store, story_id):
    [(_, _, state)] = [p for p in store.load_profiles(None) if p[0] == story_id]
    return state


def test_a_story_is_named_by_a_real_headline_not_a_first_sentence(store, settings, seed_dir):
    ingest(store, settings, seed_dir)
    [story] = store.list_stories()
    # 000 has no headline (its title is its own first sentence); 003 has one
    assert story.title == "Takaichi Trump US Visit 2026: Japan Priorities Washington Ahead of Beijing"
