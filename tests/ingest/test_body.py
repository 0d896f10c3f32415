"""The merged body extractor: what each trafilatura pass gets wrong, and how the merge fixes it."""

from trafilatura.utils import load_html

from crosscheck.ingest import extract_page
from crosscheck.ingest.body import (
    combine_passes,
    drop_title_paragraph,
    extract_body,
    merge_passes,
    trafilatura_passes,
)

CBS = "cbssports-browns-rudolph.html"
# In the page, "the NFL will fine Rudolph" is a link inside this sentence.
FULL_SENTENCE = "La Canfora has reported that the NFL will fine Rudolph for his role in the fight."


def _cbs_tree(fixtures):
    return load_html((fixtures / "html" / CBS).read_bytes())


def test_precision_pass_alone_cuts_a_linked_phrase_out_of_a_sentence(fixtures):
    # The reason for the merge: trafilatura's precision mode drops the inline link's words.
    _, precision = trafilatura_passes(_cbs_tree(fixtures))
    text = " ".join(precision)
    assert "La Canfora has reported that for his role in the fight" in text
    assert FULL_SENTENCE not in text


def test_recall_pass_alone_keeps_newsletter_furniture(fixtures):
    recall, _ = trafilatura_passes(_cbs_tree(fixtures))
    assert "Thanks for signing up!" in recall


def test_merged_body_keeps_the_whole_sentence_and_drops_the_furniture(fixtures):
    body = extract_body(_cbs_tree(fixtures)).paragraphs
    assert FULL_SENTENCE in "\n".join(body)
    assert "Thanks for signing up!" not in body and "Sorry!" not in body


def test_newsletter_box_at_the_end_of_the_page_leaves_the_body(fixtures):
    article = extract_page((fixtures / "html" / CBS).read_bytes())
    assert "Pick Six Newsletter" not in article.text
    assert "mock drafts, picks and power rankings" not in article.text
    assert article.text.endswith("so our focus has got to be on Cincinnati right now.\"")


def test_headline_is_not_repeated_as_the_first_paragraph(fixtures, page_truth):
    article = extract_page((fixtures / "html" / CBS).read_bytes(), url=page_truth[CBS]["url"])
    assert article.title == "Browns player on Mason Rudolph's role in fight with Myles Garrett: He asked for it"
    assert article.title not in article.text.split("\n\n")


def test_merge_keeps_agreed_paragraphs_in_the_recall_wording():
    recall = [
        "The minister said on Tuesday that the new flood defence plan would cost 3 billion euros over two "
        "years and would be paid for from the regional budget.",
        "Share this",
    ]
    precision = [
        "The minister said on Tuesday that the new flood defence plan would cost over two "
        "years and would be paid for from the regional budget."
    ]
    assert merge_passes(recall, precision) == [recall[0]]


def test_merge_rescues_long_prose_only_the_recall_pass_found():
    long_paragraph = " ".join(["The committee heard evidence from residents about flooding."] * 6)
    recall = ["Opening paragraph both passes kept in full.", long_paragraph, "Sign up for our newsletter"]
    precision = ["Opening paragraph both passes kept in full."]
    assert merge_passes(recall, precision) == recall[:2]


def test_drop_title_paragraph_ignores_case_and_punctuation():
    paragraphs = ["Nadal keeps Spain alive — against Russia!", "MADRID — Rafael Nadal kept Spain's hopes alive."]
    assert drop_title_paragraph(paragraphs, ["nadal keeps Spain alive against Russia"]) == paragraphs[1:]
    assert drop_title_paragraph(paragraphs, ["Another headline"]) == paragraphs


def test_readability_fallback_is_used_when_the_passes_find_almost_nothing():
    fallback = ["A long enough article body found by the fallback extractor. " * 8]
    body = combine_passes(["Menu"], ["Menu"], titles=[], fallback=lambda: fallback)
    assert body.paragraphs == fallback and body.method.startswith("readability")
    kept = combine_passes(fallback, fallback, titles=[], fallback=lambda: ["short"])
    assert kept.paragraphs == fallback and kept.method.startswith("trafilatura")
