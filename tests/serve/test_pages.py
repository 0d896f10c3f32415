"""Reading pages through the in-process client, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from tests.serve.conftest import story_with_summary


def html(response):
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def test_home_lists_stories_with_independent_origin_counts(client, reader_store):
    doc = html(client.get("/"))
    rows = reader_store.list_stories(limit=30)
    links = {a.get("href") for a in doc.cssselect(".story-item h3 a")}
    assert {f"/stories/{r.id}" for r in rows} <= links
    first = doc.cssselect("section[aria-labelledby=latest-h] .story-item")[0]
    assert f"{rows[0].origin_count} independent origin" in first.text_content()


def test_home_shows_provenance_badges_of_the_ai_written_seed(client):
    # Seed 003 says it is AI-generated; its story must carry the badge on the home page.
    doc = html(client.get("/"))
    assert any(b.text_content() == "AI-written" for b in doc.cssselect(".story-item .badge.ai"))


@pytest.mark.parametrize("path", ["/", "/search", "/signin", "/signup"])
def test_every_page_has_title_description_opengraph_and_canonical(client, path):
    doc = html(client.get(path))
    assert doc.findtext(".//title").strip()
    assert doc.cssselect('meta[name=description]')[0].get("content").strip()
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        assert doc.cssselect(f'meta[property="{prop}"]')[0].get("content").strip(), prop
    canonical = doc.cssselect("link[rel=canonical]")[0].get("href")
    assert urlsplit(canonical).path == path and not urlsplit(canonical).query
    assert doc.cssselect("main#main") and doc.cssselect("nav[aria-label]") and doc.cssselect("a.skip")
    assert "width=device-width" in doc.cssselect("meta[name=viewport]")[0].get("content")


def test_story_page_titles_and_describes_itself_from_the_written_story(client, reader_store):
    row, written = story_with_summary(reader_store)
    doc = html(client.get(f"/stories/{row.id}"))
    assert doc.findtext(".//title").startswith(written.seo_title or row.title)
    assert doc.cssselect('meta[property="og:type"]')[0].get("content") == "article"
    assert doc.cssselect('link[rel=canonical]')[0].get("href") == f"https://testserver/stories/{row.id}"
    assert doc.cssselect('script[type="application/ld+json"]')


def test_every_citation_jumps_to_an_existing_sentence_anchor(client, reader_store):
    row, written = story_with_summary(reader_store)
    doc = html(client.get(f"/stories/{row.id}"))
    cites = doc.cssselect(".summary a.cite")
    assert len(cites) == sum(len(s.citations) for s in written.summary)
    for href in {c.get("href") for c in cites}:
        path, _, anchor = href.partition("#")
        article = html(client.get(path))
        target = article.get_element_by_id(anchor)
        assert "sentence" in target.get("class").split()
        assert target.text_content().strip()


def test_cited_passage_is_the_sentence_the_summary_quotes(client, reader_store):
    # Extractive summaries select source sentences: the cited anchor holds that very text.
    row, written = story_with_summary(reader_store)
    sentence = next(s for s in written.summary if s.citations and not s.compressed)
    evidence = sentence.citations[0].evidence
    article = html(client.get(f"/articles/{evidence.article_id}"))
    passage = article.get_element_by_id(f"s{evidence.sentence_index}").text_content()
    words = set(sentence.text.lower().split())
    assert len(words & set(passage.lower().split())) >= len(words) // 2


def test_story_page_sources_carry_their_provenance(client, reader_store):
    for row in reader_store.list_stories(limit=100):
        articles = reader_store.story_articles(row.id)
        if any(a.provenance.ai_generated for a in articles):
            break
    else:
        pytest.fail("no story holds the AI-written seed")
    doc = html(client.get(f"/stories/{row.id}"))
    sources = doc.cssselect(".source-list li")
    assert len(sources) == len(articles)
    ai = [li for li in sources if li.cssselect(".badge.ai")]
    assert len(ai) == sum(a.provenance.ai_generated for a in articles)
    assert all(a.provenance.cited_origins[0] in li.text_content()
               for a in articles if a.provenance.ai_generated and a.provenance.cited_origins
               for li in ai if li.cssselect(f'a[href="/articles/{a.id}"]'))


def test_disagreement_section_appears_exactly_when_sources_disagree(client, reader_store):
    for row in reader_store.list_stories(limit=100):
        written, _ = reader_store.get_written(row.id)
        doc = html(client.get(f"/stories/{row.id}"))
        section = doc.cssselect("section.disagreements")
        assert bool(section) == bool(written and written.disagreements), row.id
        if section:
            assert len(section[0].cssselect(":scope > ul > li")) == len(written.disagreements)


def test_timeline_lists_each_dated_item(client, reader_store):
    for row in reader_store.list_stories(limit=100):
        written, _ = reader_store.get_written(row.id)
        if written and written.timeline:
            doc = html(client.get(f"/stories/{row.id}"))
            assert len(doc.cssselect("section.timeline li")) == len(written.timeline)
            return
    pytest.skip("no story in the reader corpus has a timeline")


def test_related_stories_and_entities_on_a_story_page_resolve(client, reader_store):
    row, _ = story_with_summary(reader_store)
    doc = html(client.get(f"/stories/{row.id}"))
    links = [a.get("href") for a in doc.cssselect("section.related a, section.entities a")]
    assert links, "the story shows neither related stories nor entities"
    for href in links:
        assert client.get(href).status_code == 200, href
    assert {f"/stories/{i}" for i in reader_store.related_story_ids(row.id)} == \
        {a.get("href") for a in doc.cssselect("section.related a")}


def test_article_page_shows_clean_text_as_anchored_sentences_with_claims_marked(client, reader_store):
    for row in reader_store.list_stories(limit=100):
        for article in reader_store.story_articles(row.id):
            analysis = reader_store.get_analyses([article.id])[0]
            if analysis.claims:
                doc = html(client.get(f"/articles/{article.id}"))
                sentences = doc.cssselect(".body .sentence")
                assert len(sentences) == len(analysis.sentences)
                marked = {s.get("id") for s in doc.cssselect(".body .sentence.claim")}
                assert marked == {f"s{c.evidence.sentence_index}" for c in analysis.claims}
                assert doc.cssselect(f'a[href="/stories/{row.id}"]')
                return
    pytest.fail("no article in the reader corpus has a claim")


def test_article_page_links_to_the_original_or_says_there_is_none(client, reader_store):
    for row in reader_store.list_stories(limit=5):
        for article in reader_store.story_articles(row.id):
            doc = html(client.get(f"/articles/{article.id}"))
            originals = [a.get("href") for a in doc.cssselect("a") if a.text_content() == "Read the original"]
            assert originals == ([article.url] if article.url else [])


def test_entity_page_lists_every_story_that_mentions_it(client, reader_store):
    row, _ = story_with_summary(reader_store)
    doc = html(client.get(f"/stories/{row.id}"))
    href = doc.cssselect("section.entities a")[0].get("href")
    key = unquote(href.rsplit("/", 1)[1])
    page = html(client.get(href))
    assert page.findtext(".//h1") == reader_store.get_entity(key).name
    listed = {a.get("href") for a in page.cssselect(".story-item h3 a")}
    assert listed == {f"/stories/{i}" for i in reader_store.entity_story_ids(key)}
    assert f"/stories/{row.id}" in listed


def test_unknown_addresses_get_a_404_page_not_an_error(client):
    for path in ("/stories/nope", "/articles/nope", "/entities/person:nobody-at-all", "/comments/1/edit"):
        response = client.get(path)
        assert response.status_code in (401, 404), path
        assert "<main" in response.text


def test_search_finds_a_seed_and_highlights_the_matched_word(client):
    doc = html(client.get("/search", params={"q": "Takaichi"}))
    hits = doc.cssselect("ol.hits > li")
    assert hits
    marks = [m.text_content().lower() for m in doc.cssselect(".snippet mark")]
    assert marks and all("takaichi" in m for m in marks)


def test_search_snippet_text_is_escaped(client, reader_store):
    # A snippet is article text: any markup in it must come out as text, only «» become <mark>.
    hits = reader_store.search("Takaichi")
    doc = html(client.get("/search", params={"q": "Takaichi"}))
    assert len(doc.cssselect(".snippet mark")) == sum(h.snippet.count("«") for h in hits)
    assert not doc.cssselect(".snippet script, .snippet a")


def dated_hit(store, word="WeWork"):
    hits = [h for h in store.search(word) if h.published and h.source]
    assert hits, "the saved pages have outlets and dates"
    return hits[0]


def result_links(response) -> set[str]:
    return {a.get("href") for a in html(response).cssselect("ol.hits > li > a")}


def test_search_date_filters_keep_only_articles_published_in_range(client, reader_store):
    hit = dated_hit(reader_store)
    day = hit.published.date()
    link = f"/articles/{hit.article_id}"
    q = {"q": "WeWork"}
    assert link in result_links(client.get("/search", params={**q, "since": day.isoformat(), "until": day.isoformat()}))
    later, earlier = day + timedelta(days=1), day - timedelta(days=1)
    assert link not in result_links(client.get("/search", params={**q, "since": later.isoformat()}))
    assert link not in result_links(client.get("/search", params={**q, "until": earlier.isoformat()}))


def test_search_source_filter_keeps_only_that_outlet(client, reader_store):
    hit = dated_hit(reader_store)
    link = f"/articles/{hit.article_id}"
    assert link in result_links(client.get("/search", params={"q": "WeWork", "source": hit.source}))
    assert not result_links(client.get("/search", params={"q": "WeWork", "source": "No Such Outlet"}))


def test_search_rejects_a_malformed_date_with_a_message(client):
    response = client.get("/search", params={"q": "Takaichi", "since": "last tuesday"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.text


METACHARACTERS = ["' OR 1=1 --", '"; DROP TABLE articles; --', "NEAR(a b)", "title:*", "a AND OR NOT",
                  "\x00", "%_%", '"unbalanced', "((", "Takaichi' --", "*", "^Takaichi", "-", "'", "\\"]


def test_sql_and_fts_metacharacters_in_search_never_break_it(client, reader_store):
    before = reader_store.count_articles()
    for query in METACHARACTERS:
        for path in ("/search", "/api/search"):
            response = client.get(path, params={"q": query, "source": query})
            assert response.status_code == 200, (path, query, response.text[:300])
    assert reader_store.count_articles() == before  # and nothing was dropped


def test_a_quote_in_search_still_finds_the_word(client):
    assert client.get("/api/search", params={"q": "Takaichi' --"}).json()


def test_atom_feed_has_an_entry_per_story(client, reader_store):
    import feedparser

    response = client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.text)
    assert not feed.bozo
    assert {e.link for e in feed.entries} == \
        {f"https://testserver/stories/{r.id}" for r in reader_store.list_stories(limit=50)}


def test_entity_feed_lists_the_entitys_stories(client, reader_store):
    import feedparser

    row, _ = story_with_summary(reader_store)
    href = html(client.get(f"/stories/{row.id}")).cssselect("section.entities a")[0].get("href")
    feed = feedparser.parse(client.get(href + "/feed.atom").text)
    assert not feed.bozo
    key = unquote(href.rsplit("/", 1)[1])
    assert {e.link.rsplit("/", 1)[1] for e in feed.entries} == set(reader_store.entity_story_ids(key))
    assert client.get("/entities/person:nobody-at-all/feed.atom").status_code == 404


def test_claim_group_lines_name_sources_readably_not_by_internal_id(client, reader_store):
    checked = 0
    for row in reader_store.list_stories(limit=100):
        written, _ = reader_store.get_written(row.id)
        if not written or not (written.disagreements or written.unknowns):
            continue
        doc = html(client.get(f"/stories/{row.id}"))
        text = " ".join(s.text_content() for s in doc.cssselect("section.disagreements, section.unknowns"))
        assert text.strip()
        assert not [a.id for a in reader_store.story_articles(row.id) if a.id in text]
        checked += 1
    assert checked  # the seeds' story has disagreements and single-source claims


def test_pages_forbid_scripts_framing_and_sniffing(client, reader_store):
    story = reader_store.list_stories(limit=1)[0].id
    for path in ("/", f"/stories/{story}", f"/stories/{story}", "/signin", "/api/stories"):
        headers = client.get(path).headers  # the second story fetch is the shared cached copy
        assert "script-src 'none'" in headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff", path


def test_head_requests_get_headers_without_a_body(client, reader_store):
    story = reader_store.list_stories(limit=1)[0].id
    for path in ("/", f"/stories/{story}", "/feed.atom", "/api/stories"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == 200 and head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
