"""Seed 003 as the web page it came from: furniture leaves the body of HTML pages too."""

import html

import pytest

from crosscheck.ingest import extract_page


@pytest.fixture
def seed_003_page(seed_texts) -> str:
    """Seed 003's text in the layout of its page: article, disclaimer, related rail, comments."""
    lines = [line for line in seed_texts["003"].splitlines() if line.strip()]
    disclaimer = next(i for i, line in enumerate(lines) if line.startswith("This content is AI-generated"))
    rail, comments = lines.index("Related Articles"), lines.index("Thoughts")
    e = html.escape
    body = "".join(f"<h2>{e(x)}</h2>" if len(x.split()) < 9 else f"<p>{e(x)}</p>" for x in lines[2:disclaimer])
    teasers = "".join(f'<li><a href="/story/{n}">{e(t)}</a></li>' for n, t in enumerate(lines[rail + 1 : comments]))
    return (
        f'<!doctype html><html lang="en"><head><title>{e(lines[0])} | Example Desk</title>'
        '<meta property="og:site_name" content="Example Desk">'
        '<link rel="canonical" href="https://desk.example.org/takaichi-trump-visit-2026">'
        '<meta property="article:published_time" content="2026-01-03T09:00:00+09:00"></head><body>'
        '<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>'
        f'<main><article><h1>{e(lines[0])}</h1><p class="dek">{e(lines[1])}</p>{body}'
        f'<p class="disclaimer">{e(lines[disclaimer])}</p></article>'
        f'<section class="related"><h3>Related Articles</h3><ul>{teasers}</ul></section>'
        '<section class="comments"><h3>Thoughts</h3><p>Share your thoughts on this article</p>'
        '<a href="/login">Sign in to join the conversation</a></section></main>'
        "<footer>© 2026 Example Desk</footer></body></html>"
    )


def test_html_body_stops_before_disclaimer_rail_and_comments(seed_003_page):
    article = extract_page(seed_003_page, url="https://desk.example.org/takaichi-trump-visit-2026")
    assert article.text.endswith("military escalations in the Taiwan Strait.")
    for furniture in ("AI-generated", "Related Articles", "Balochistan", "Thoughts", "Sign in to join"):
        assert furniture not in article.text


def test_html_disclaimer_sets_the_ai_flag(seed_003_page):
    article = extract_page(seed_003_page)
    assert article.provenance.ai_generated
    assert article.provenance.cited_origins == ["Nikkei"]


def test_html_related_rail_becomes_linked_teasers(seed_003_page):
    article = extract_page(seed_003_page, url="https://desk.example.org/takaichi-trump-visit-2026")
    assert [link.url for link in article.related] == [f"https://desk.example.org/story/{n}" for n in range(4)]
    assert article.related[0].text.startswith("Pakistan military reports killing 92 militants")
