"""Provenance flags read from what the page says about itself."""

from crosscheck.ingest import extract_page, read_articles
from crosscheck.ingest.provenance import cited_origins, detect_provenance


def _seed_articles(seed_dir):
    return {a.input_name.rsplit("/", 1)[-1][:3]: a for a in read_articles([str(seed_dir)])}


def test_seed_003_is_flagged_ai_generated(seed_dir):
    article = _seed_articles(seed_dir)["003"]
    assert article.provenance.ai_generated
    assert not article.provenance.opinion
    assert article.provenance.notices[0].startswith("This content is AI-generated")


def test_seed_000_has_its_original_url_and_the_opinion_flag(seed_dir):
    provenance = _seed_articles(seed_dir)["000"].provenance
    assert provenance.original_url == "https://toutiao.com/article/1852404262547456"
    assert provenance.opinion
    assert not provenance.ai_generated


def test_seed_000_is_a_translated_aggregation(seed_dir):
    assert _seed_articles(seed_dir)["000"].provenance.translated


def test_cited_origins_of_the_seeds_are_kyodo_and_nikkei(seed_dir):
    articles = _seed_articles(seed_dir)
    assert articles["000"].provenance.cited_origins == ["Kyodo News"]
    assert articles["003"].provenance.cited_origins == ["Nikkei"]


def test_organisations_merely_named_are_not_origins(seed_texts):
    # Seed 003 names the Pentagon and Lockheed Martin, but attributes nothing to them.
    origins = cited_origins(seed_texts["003"])
    assert "Pentagon" not in origins and "Lockheed Martin" not in origins
    assert cited_origins("Apple said it would open a store. The AP style guide was updated.") == []


def test_wire_dateline_and_named_newspaper_are_origins():
    text = (
        "TOKYO (Reuters) - The yen fell. According to the Chosun Ilbo newspaper, talks stalled. "
        "Officials told the Associated Press they would meet again."
    )
    assert cited_origins(text) == ["Reuters", "Chosun Ilbo", "Associated Press"]


def test_source_and_reporting_credit_lines_are_origins():
    text = "The talks ended without a deal.\n\nSource: Xinhua\n\n(With inputs from PTI and additional reporting by Reuters)"
    assert cited_origins(text) == ["Xinhua", "Press Trust of India", "Reuters"]


def test_json_ld_opinion_article_sets_the_opinion_flag():
    page = (
        "<html><head><title>Why the budget fails | Example Post</title>"
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"OpinionNewsArticle",'
        '"headline":"Why the budget fails","datePublished":"2026-01-05T08:00:00+09:00"}</script></head>'
        "<body><article><h1>Why the budget fails</h1>"
        + "".join(
            f"<p>Paragraph {i} of the column argues that the spending plan leaves the deficit unchanged "
            f"while promising cuts that no department has agreed to make this year.</p>"
            for i in range(6)
        )
        + "</article></body></html>"
    )
    article = extract_page(page, url="https://example.org/opinion/budget")
    assert article.provenance.opinion
    assert article.published.isoformat() == "2026-01-05T08:00:00+09:00"


def test_originally_published_notice_names_the_origin():
    from crosscheck.ingest.furniture import split_furniture

    split = split_furniture(["A body paragraph about galaxies.", "Originally published on Live Science."])
    assert split.paragraphs == ["A body paragraph about galaxies."]
    provenance = detect_provenance(split.body, split.notices)
    assert provenance.cited_origins == ["Live Science"]


def test_an_outlet_name_inside_a_longer_word_is_not_an_origin():
    # The alias pattern checks the character before each alias after its first letter.
    assert cited_origins("The CNNs of this world reported nothing; ex-Reuters staff said so.") == []
    assert cited_origins("Profits rose, CNBC reported; (AP) - The Reuters-owned unit said.") == ["CNBC", "Associated Press"]
