"""Page furniture: the parts of a page that are not the article body.

Every format (plain text, Markdown, records, feeds, HTML) ends up as a list of paragraphs and
goes through `split_furniture` once, so the rules live in one place:

- notices — disclaimers and provenance lines ("This content is AI-generated…", "Statement: This
  article represents the views of the author himself", "Original article: toutiao.com/…") leave
  the body wherever they are and are kept as `Provenance.notices`;
- a heading that opens a rail of *other* stories ("Related Articles", "Read more", "You may also
  like", …) ends the body; the teasers under it become `RelatedLink`s;
- a comment prompt ("Thoughts", "Share your thoughts on this article", "Sign in to join the
  conversation", "Leave a comment", …) ends the body; what follows it is dropped;
- inline teasers ("Read more: <other headline>") become `RelatedLink`s;
- short page lines (newsletter pitches, "X may be reached at…", copyright and photo credits,
  "Updated at 1:23 p.m.") are dropped;
- a newsletter sign-up box ("Pick Six Newsletter", "Sign up for our newsletter") is dropped,
  with what follows it when it sits at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from crosscheck.model import RelatedLink

# Lines that say where the text came from or how it was made. Anchored at the start of the
# paragraph, or short enough that the cue *is* the paragraph (a body sentence that merely
# mentions AI is not a disclaimer).
_NOTICE_START = re.compile(
    r"^\s*(?:(?:statement|translation)\s*[:：]|disclaimer\b|editor'?s note\b|note from the editor\b"
    r"|translator'?s note\b|original (?:article|link|source|url|text|title)\b|source (?:link|url)\b"
    r"|originally published\b|translated (?:by|from)\b|translation by\b"
    r"|this (?:article|story|content|report) (?:was|has been|is) (?:translated|machine[- ]translated)\b)",
    re.IGNORECASE,
)
# An AI disclaimer talks about the page itself: "This content is AI-generated…",
# "This article was written with the help of AI". A news sentence about AI-generated images is
# not one.
_SELF_REFERENCE = re.compile(
    r"\b(?:this|the following|the above) (?:content|article|story|text|summary|report|post|piece|page)\b", re.I
)
_AI_CUE = re.compile(
    r"\bAI[- ](?:generated|assisted|written)\b|\b(?:generated|written|created|produced|drafted)"
    r" (?:by|with|using)(?: the help of)? (?:an? )?(?:AI|artificial intelligence|a language model|large language models?)\b",
    re.IGNORECASE,
)
_NOTICE_ANYWHERE = re.compile(
    r"\brepresents? the (?:personal )?(?:views?|opinions?) of the author"
    r"|\bviews (?:and opinions )?expressed (?:in this (?:article|piece|column) )?are (?:those|solely those|the author)"
    r"|\bdo(?:es)? not necessarily (?:reflect|represent) the (?:views|position|opinions?)"
    r"|\bwe recommend verifying with the original source",
    re.IGNORECASE,
)
NOTICE_MAX_CHARS = 400

_HEADING_TAIL = r"\s*[:：.!…]?\s*$"
_RELATED_HEADING = re.compile(
    r"^\s*(?:related(?: articles?| stories| news| posts| content| coverage| reading| links| topics)?"
    r"|read (?:more|also|next)|also read|more (?:stories|news|articles|on this(?: story| topic)?|from [\w .'&-]{1,40})"
    r"|you (?:may|might) (?:also )?(?:like|be interested in|have missed)|recommended(?: for you| stories| articles)?"
    r"|most (?:read|popular|viewed|shared)|popular(?: stories| now| articles)?|trending(?: now| stories)?"
    r"|what to read next|editor'?s picks?|top stories|latest (?:news|stories|articles)|don'?t miss"
    r"|see also|see more|in other news|recent posts|also on [\w .'&-]{1,30})" + _HEADING_TAIL,
    re.IGNORECASE,
)
_COMMENT_HEADING = re.compile(
    r"^\s*(?:thoughts|comments?|\d+ comments?|reader comments|discussion|leave a (?:comment|reply)"
    r"|join the (?:conversation|discussion)|add (?:a|your) comment|post a comment|have your say"
    r"|share your (?:thoughts|views|opinion)(?: on this (?:article|story))?"
    r"|(?:sign|log) in to (?:comment|join the (?:conversation|discussion)|leave a comment)"
    r"|comments are closed|be the first to comment|conversation)" + _HEADING_TAIL,
    re.IGNORECASE,
)
# Newsletter / subscription boxes: "Pick Six Newsletter", "Sign up for our daily newsletter".
_PROMO = re.compile(
    r"^\s*(?:(?:[\w'’&+-]+\s+){0,5}newsletters?|(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|updates|inbox)\b.{0,40}"
    r"|get (?:our|the) (?:free |daily |weekly )?newsletter.{0,60})" + _HEADING_TAIL,
    re.IGNORECASE,
)
# Short lines that belong to the page, not the story: promotion, author contact footers,
# copyright and photo credits, update stamps.
# Two patterns, one tried at the start of the line (`match`) and one anywhere (`search`): a
# single pattern with `^` alternatives made `re` try those at every position of every line.
_PAGE_LINE_START = re.compile(
    r"\s*(?:copyright\b|©|\(c\)\s*\d{4}|(?:photos?|images?|pictures?|credits?)(?: by)?\s*[:©]"
    r"|(?:updated|last updated|published|posted)(?: on| at)?:?\s+(?=[^\n]*\d)(?![^\n]*\bby\b)[\w ,.:/]{3,40}$)",
    re.IGNORECASE,
)
_PAGE_LINE_ANYWHERE = re.compile(
    r"\bsubscribe to\b.{0,60}\bnewsletters?\b|\b(?:updates|news|stories) (?:right )?(?:in|to) your inbox\b"
    r"|\b(?:may|can) be reached at\b|\bfollow (?:him|her|them|us|me) on (?:twitter|facebook|instagram|x)\b"
    r"|\ball rights reserved\b|\bphotos?\s*©|©\s*[\w .&'-]{2,40},?\s*\d{4}\s*$",
    re.IGNORECASE,
)


def is_page_line(paragraph: str) -> bool:
    """A short line of the page rather than the story (promotion, contact, credits, stamps)."""
    return len(paragraph.split()) <= PAGE_LINE_MAX_WORDS and bool(
        _PAGE_LINE_START.match(paragraph) or _PAGE_LINE_ANYWHERE.search(paragraph)
    )
PAGE_LINE_MAX_WORDS = 30
# A bare "Thoughts"/"Discussion"/"Comments" could be an ordinary sub-heading: it only counts
# as a comment prompt when a prompt follows right after it or nothing does.
_AMBIGUOUS_COMMENT_HEADING = re.compile(r"^\s*(?:thoughts|discussion|conversation|comments?)" + _HEADING_TAIL, re.I)
_INLINE_TEASER = re.compile(
    r"^\s*(?:read more|read also|also read|see also|see more|also see|related|recommended|more|watch|listen|don'?t miss)"
    r"\s*[:：|»>–—-]+\s*(?P<teaser>\S.{8,})$",
    re.IGNORECASE,
)
# A standfirst written as a search-result teaser ("… Learn why X matters.") summarises the page
# rather than reporting: it becomes the description, not body text.
_TEASER_STANDFIRST = re.compile(r"\b(?:learn (?:why|how|what|more about)|find out (?:why|how|what)|discover (?:why|how|what)|read on to)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•·▪►]|\d+[.)])\s+")


@dataclass
class SplitText:
    """A text split into its body and its furniture."""

    paragraphs: list[str]
    notices: list[str] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # comment prompts and what follows them
    description: str | None = None  # a teaser standfirst taken out of the body

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def is_notice(paragraph: str) -> bool:
    """True when the paragraph is a disclaimer/provenance line rather than article text."""
    if _NOTICE_START.match(paragraph):
        return True
    if len(paragraph) > NOTICE_MAX_CHARS:
        return False
    if _SELF_REFERENCE.search(paragraph) and _AI_CUE.search(paragraph):  # the cheaper, rarer test first
        return True
    return bool(_NOTICE_ANYWHERE.search(paragraph))


def is_related_heading(paragraph: str) -> bool:
    return bool(_RELATED_HEADING.match(paragraph))


def _is_comment_prompt(paragraphs: list[str], index: int) -> bool:
    paragraph = paragraphs[index]
    if not _COMMENT_HEADING.match(paragraph):
        return False
    if not _AMBIGUOUS_COMMENT_HEADING.match(paragraph):
        return True
    following = paragraphs[index + 1 : index + 3]
    return not following or any(
        _COMMENT_HEADING.match(p) and not _AMBIGUOUS_COMMENT_HEADING.match(p) for p in following
    )


def _teaser(paragraph: str) -> str:
    return _BULLET.sub("", paragraph).strip()


# A related rail near the end of the text runs to the end (or to the comment prompt); one in the
# middle of the article ("DON'T MISS" + three headlines, then the story goes on) ends at the
# first paragraph of prose.
TAIL_RAIL_PARAGRAPHS = 6
_PROSE_END = re.compile(r"[.!?][\"\u201d\u2019')]*$")


def _is_prose(paragraph: str) -> bool:
    return len(paragraph.split()) >= 8 and bool(_PROSE_END.search(paragraph))


def _paragraphs_until_comments(paragraphs: list[str], start: int) -> int:
    count = 0
    for index in range(start, len(paragraphs)):
        if _is_comment_prompt(paragraphs, index):
            break
        count += 1
    return count


def split_furniture(paragraphs: list[str]) -> SplitText:
    """Split paragraphs into body, notices, related teasers and dropped comment prompts."""
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    result = SplitText(paragraphs=[])
    mode = "body"  # → "related" after a related heading, "comments" after a comment prompt
    rail_to_end = False
    for index, paragraph in enumerate(paragraphs):
        if is_notice(paragraph):
            result.notices.append(paragraph)
            continue
        # The first paragraph is never furniture (a page that *starts* with "Related" is odd,
        # and a one-line input should not vanish).
        if index > 0 and is_related_heading(paragraph):
            mode = "related"
            rail_to_end = _paragraphs_until_comments(paragraphs, index + 1) <= TAIL_RAIL_PARAGRAPHS
            continue
        if index > 0 and _is_comment_prompt(paragraphs, index):
            mode = "comments"
            result.dropped.append(paragraph)
            continue
        if is_page_line(paragraph):
            result.dropped.append(paragraph)
            continue
        if index > 0 and _PROMO.match(paragraph):
            # A sign-up box near the end takes the rest with it (its pitch, its thank-you note);
            # one in the middle is a single line.
            if _paragraphs_until_comments(paragraphs, index + 1) <= TAIL_RAIL_PARAGRAPHS:
                mode = "comments"
            result.dropped.append(paragraph)
            continue
        if mode == "related" and not rail_to_end and _is_prose(paragraph):
            mode = "body"  # the story goes on after a rail in its middle
        if index == 0 and len(paragraphs) > 1 and _TEASER_STANDFIRST.search(paragraph):
            result.description = paragraph
            continue
        if mode == "related":
            result.related.append(RelatedLink(text=_teaser(paragraph)))
        elif mode == "comments":
            result.dropped.append(paragraph)
        elif (teaser := _INLINE_TEASER.match(paragraph)) and index > 0:
            result.related.append(RelatedLink(text=teaser.group("teaser").strip()))
        else:
            result.paragraphs.append(paragraph)
    return result


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text: blank-line separated blocks, else one per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    paragraphs: list[str] = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if _hard_wrapped(lines):
            paragraphs.append(" ".join(lines))
        else:
            # Pages copied as text often keep one paragraph per line with no blank lines between.
            paragraphs.extend(lines)
    return paragraphs


def _hard_wrapped(lines: list[str]) -> bool:
    """A block wrapped at a fixed width (e-mail style): all lines but the last are of similar
    length and most of them stop mid-sentence."""
    if len(lines) < 2:
        return False
    inner = lines[:-1]
    widths = [len(line) for line in inner]
    mid_sentence = sum(not line.endswith((".", "!", "?", ":", '"', "\u201d")) for line in inner)
    return max(widths) <= 100 and min(widths) >= 40 and mid_sentence * 2 > len(inner)
