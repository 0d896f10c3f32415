"""read_articles over real inputs: seeds, saved pages, feeds, records, URLs and bad inputs."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crosscheck.ingest import IngestError, http_fetch, read_articles
from crosscheck.model import Article
from tests.conftest import FIXTURES


def _split(items):
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, IngestError)]
    assert len(articles) + len(errors) == len(items)
    return articles, errors


def test_seed_folder_gives_two_articles_and_no_errors(seed_dir):
    articles, errors = _split(list(read_articles([str(seed_dir)])))
    assert errors == []
    assert len(articles) == 2


def test_plain_text_first_line_is_the_title_when_it_looks_like_one(seed_dir):
    by_seed = {Path(a.input_name).name[:3]: a for a in read_articles([str(seed_dir)])}
    assert by_seed["003"].title == "Takaichi Trump US Visit 2026: Japan Priorities Washington Ahead of Beijing"
    assert not by_seed["003"].text.startswith("Takaichi Trump US Visit")
    # Seed 000 opens with a sentence, not a headline: it stays in the body.
    assert by_seed["000"].text.startswith("On December 24, Japan's Kyodo News reported")
    assert by_seed["000"].title.startswith("On December 24, Japan's Kyodo News reported")


def test_reading_the_same_inputs_twice_gives_the_same_ids(seed_dir, fixtures):
    targets = [str(seed_dir), str(fixtures / "records"), str(fixtures / "html")]
    first = [a.id for a in read_articles(targets) if isinstance(a, Article)]
    second = [a.id for a in read_articles(targets) if isinstance(a, Article)]
    assert first == second and len(set(first)) == len(first)


def test_bad_folder_gives_one_error_per_bad_input_and_keeps_every_good_record(fixtures):
    articles, errors = _split(list(read_articles([str(fixtures / "bad")])))
    assert sorted(Path(e.input_name).name for e in errors) == ["mixed.jsonl:2", "photo.png", "truncated-page.html"]
    assert [a.title for a in articles] == ["First good record", "Introducing Junior Gaspard, New CEO at Experience"]


def test_error_lines_are_single_lines_naming_input_and_reason(fixtures):
    errors = [e for e in read_articles([str(fixtures / "bad")]) if isinstance(e, IngestError)]
    for error in errors:
        line = str(error)
        assert line.startswith(f"error: {error.input_name}: ")
        assert "\n" not in line and len(line) > len(f"error: {error.input_name}: ")
    assert "binary" in str(next(e for e in errors if e.input_name.endswith("photo.png")))


def test_missing_path_is_an_error_and_the_batch_goes_on(seed_dir):
    articles, errors = _split(list(read_articles(["/nonexistent/article.txt", str(seed_dir)])))
    assert [e.input_name for e in errors] == ["/nonexistent/article.txt"]
    assert len(articles) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_an_error(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Some headline\n\nSome body text that is long enough to count.")
    path.chmod(0)
    (error,) = read_articles([str(path)])
    assert isinstance(error, IngestError) and "unreadable" in error.reason


def test_jsonl_crawler_field_names_are_understood(fixtures):
    first, second, _ = read_articles([str(fixtures / "records" / "crawl.jsonl")])
    assert first.title == "Nadal keeps Spain alive against Russia in Davis Cup Finals"  # title
    assert first.text.startswith("MADRID — Rafael Nadal kept Spain’s hopes alive")  # maintext
    assert first.source == "www.sportsnet.ca" and first.author == "Associated Press"  # source_domain, authors
    assert first.published.isoformat() == "2019-11-19T00:00:00+00:00"  # date_publish, naive → UTC
    assert second.title == "Classificação NASCAR" and second.language == "pt"  # headline; language detected
    assert second.published.utcoffset().total_seconds() == -3 * 3600


def test_json_list_gives_one_article_per_record(fixtures):
    articles = list(read_articles([str(fixtures / "records" / "articles.json")]))
    assert [a.input_name.rsplit("/", 1)[-1] for a in articles] == ["articles.json[0]", "articles.json[1]"]
    assert articles[1].source == "The Anti-June Cleaver" and articles[1].language == "en"
    assert articles[0].language == "id"


def test_rss_entries_with_full_content_become_articles(fixtures):
    items = list(read_articles([str(fixtures / "feeds" / "newswire.rss")]))
    articles, errors = _split(items)
    assert [a.title for a in articles] == [
        "New SUVs and electric vehicles highlight L.A. Auto Show",
        "Browns player on Mason Rudolph's role in fight with Myles Garrett: He asked for it",
    ]
    auto_show = articles[0]
    assert auto_show.source == "Example Newswire" and auto_show.author == "Tom Krisher"
    assert auto_show.published.isoformat() == "2019-11-20T06:35:39+00:00"
    assert len(auto_show.text.split()) > 500


def test_related_rail_inside_feed_content_becomes_a_linked_teaser(fixtures):
    auto_show = next(iter(read_articles([str(fixtures / "feeds" / "newswire.rss")])))
    assert "Automakers bet on trucks" not in auto_show.text
    assert [(r.text, r.url) for r in auto_show.related] == [
        ("Automakers bet on trucks as sales slow in China", "https://newswire.example.org/other-story")
    ]


def test_link_only_feed_entry_without_fetcher_is_an_offline_error(fixtures):
    errors = [i for i in read_articles([str(fixtures / "feeds" / "newswire.rss")]) if isinstance(i, IngestError)]
    assert len(errors) == 1
    assert errors[0].input_name.endswith("#https://therealdeal.com/2019/11/18/major-wework-layoffs-to-begin-today/")
    assert "offline" in errors[0].reason


def _local(base: str):
    """A fetcher that sends every URL's path to the local test server, through http_fetch."""

    def fetch(url: str):
        parts = urlsplit(url)
        if parts.hostname == "127.0.0.1":
            return http_fetch(url)
        mapping = {
            "/2019/11/18/major-wework-layoffs-to-begin-today/": "/html/therealdeal-wework-layoffs.html",
            "/the-vw-id-space-vizzion-is-a-weird-ev-sports-wagon-with-a-secret-message-19600475/": "/html/slashgear-vw-id-space-vizzion.html",
        }
        return http_fetch(base + mapping.get(parts.path, "/missing"))

    return fetch


def test_link_only_feed_entries_are_fetched_when_a_fetcher_is_given(fixtures, local_server):
    items = list(read_articles([str(fixtures / "feeds" / "techpol.atom")], fetch=_local(local_server)))
    articles, errors = _split(items)
    assert errors == []
    assert [a.title for a in articles] == [
        "New York State Attorney General reportedly investigating Google",
        "South Dakota governor doubles down on meth campaign",
        "The VW ID. SPACE VIZZION is a weird EV sports wagon with a secret message",
    ]
    assert articles[2].author == "Chris Davies" and articles[2].source == "SlashGear"


def test_url_target_is_fetched_and_extracted(local_server):
    (article,) = read_articles([f"{local_server}/html/therealdeal-wework-layoffs.html"], fetch=http_fetch)
    assert article.title == "Major WeWork layoffs to begin today"
    assert article.text.startswith("More than a third of WeWork’s 12,000 employees")


def test_feed_url_is_read_as_a_feed(local_server):
    items = list(read_articles([f"{local_server}/feeds/newswire.rss"], fetch=_local(local_server)))
    articles, errors = _split(items)
    assert errors == [] and len(articles) == 3


def test_http_error_status_is_one_error(local_server):
    (error,) = read_articles([f"{local_server}/html/no-such-page.html"], fetch=http_fetch)
    assert isinstance(error, IngestError) and "404" in error.reason


def test_url_without_fetcher_is_an_offline_error():
    (error,) = read_articles(["https://example.org/news/1"])
    assert isinstance(error, IngestError) and "offline" in error.reason


def test_markdown_heading_is_the_title_and_markup_is_removed(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(
        "# Council approves the new bridge\n\nThe **city council** voted 7-2 on Monday to fund the "
        "[new bridge](https://example.org/bridge), ending a decade of debate over the crossing.\n"
    )
    (article,) = read_articles([str(path)])
    assert article.title == "Council approves the new bridge"
    assert article.text.startswith("The city council voted 7-2 on Monday to fund the new bridge, ending")



def test_markdown_front_matter_gives_title_date_author_and_url(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(
        '---\ntitle: "Council approves the new bridge"\ndate: 2026-01-05T09:00:00+01:00\n'
        "author: Jane Doe\nurl: https://example.org/news/bridge\n---\n\n"
        "The city council voted 7-2 on Monday to fund the new bridge, ending a decade of debate.\n"
    )
    (article,) = read_articles([str(path)])
    assert article.title == "Council approves the new bridge" and article.author == "Jane Doe"
    assert article.published.isoformat() == "2026-01-05T09:00:00+01:00"
    assert article.canonical_url == "https://example.org/news/bridge"
    assert article.text.startswith("The city council voted 7-2")


def test_json_api_dump_with_an_articles_list_is_read_record_by_record(tmp_path, seed_texts):
    # NewsAPI's shape: {"status": "ok", "articles": [{source: {name}, publishedAt, content, ...}]}
    import json

    path = tmp_path / "newsapi.json"
    path.write_text(json.dumps({
        "status": "ok",
        "articles": [{
            "source": {"id": None, "name": "Example Wire"},
            "title": "Takaichi Trump US Visit 2026: Japan Priorities Washington Ahead of Beijing",
            "url": "https://example.org/takaichi",
            "publishedAt": "2026-01-03T10:00:00Z",
            "content": seed_texts["003"],
        }],
    }))
    (article,) = read_articles([str(path)])
    assert article.source == "Example Wire" and article.input_name.endswith("newsapi.json[0]")
    assert article.published.isoformat() == "2026-01-03T10:00:00+00:00"
    assert article.provenance.ai_generated and "Related Articles" not in article.text
    # Neither the repeated headline nor the "Learn why…" teaser standfirst is body text.
    assert article.text.startswith("It's a race to Washington before heading to Beijing.")
    assert article.description.startswith("Prime Minister Sanae Takaichi and President Donald Trump")


def test_http_fetch_stops_reading_past_the_size_cap(local_server):
    from crosscheck.ingest import FetchError

    url = f"{local_server}/html/therealdeal-wework-layoffs.html"
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        http_fetch(url, max_bytes=1000)
    result = http_fetch(url)
    assert result.status == 200 and result.final_url == url
    assert result.content == (FIXTURES / "html" / "therealdeal-wework-layoffs.html").read_bytes()
