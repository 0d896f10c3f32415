"""Reader-written text made safe to show: a Markdown subset for comments, marks in search snippets."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

MAX_COMMENT = 5000  # characters of Markdown

# "zero" has nothing on; switch on only what a comment needs. Raw HTML stays off, so tags
# typed in a comment come out as text; nh3 then removes anything the renderer could still emit
# that is not on the list below (defence in depth: a parser bug must not become an XSS).
_markdown = (MarkdownIt("zero", {"html": False, "breaks": True, "linkify": False})
             .enable(["list", "blockquote", "fence", "code", "emphasis", "link", "backticks",
                      "newline", "escape", "autolink"]))

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "code", "pre", "ul", "ol", "li", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_comment(body: str) -> str:
    """Markdown → sanitised HTML: links only to http(s)/mailto, marked nofollow/ugc."""
    html = _markdown.render(body)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=ALLOWED_SCHEMES,
                     link_rel="nofollow noopener ugc", strip_comments=True)


_MARKED = re.compile(r"«([^«»]*)»")


def highlight_snippet(snippet: str) -> Markup:
    """The store marks matched words «like this»: escape everything, then turn pairs into <mark>.

    Only balanced pairs become marks, so a stray « from the article text stays plain text.
    """
    escaped = str(escape(snippet))
    return Markup(_MARKED.sub(r"<mark>\1</mark>", escaped))
