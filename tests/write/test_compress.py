"""Safe compression: only deletions of asides and attribution, kept only when still supported."""

from __future__ import annotations

from crosscheck.write import write_story
from crosscheck.write.compress import compressions


def test_parenthetical_is_dropped():
    sentence = "Gareth Southgate (right) led England to fourth in the Toulon tournament last May."
    assert compressions(sentence)[0] == "Gareth Southgate led England to fourth in the Toulon tournament last May."


def test_trailing_attribution_is_dropped():
    assert compressions("The city will close the park on Monday, Mayor Eric Garcetti said.")[0] == \
        "The city will close the park on Monday."


def test_quotation_keeps_its_speaker():
    assert compressions('"We are expecting people to pack up and leave," said Mark McDonald.') == []


def test_negation_is_never_dropped():
    sentence = "Police had no plans to evict anyone (officials confirmed), a spokesman said."
    for shorter in compressions(sentence):
        assert "no plans" in shorter


def test_compressed_summary_sentence_is_marked_and_cites_the_full_sentence(seed_story, seed_articles,
                                                                           seed_analyses):
    written = write_story(seed_story, seed_articles, seed_analyses, [], {"summary_sentences": 30})
    compressed = [s for s in written.summary if s.compressed]
    assert compressed, "the seed 003 has 'According to Nikkei, …', which compresses"
    text = {a.id: a.text for a in seed_articles}
    for sentence in compressed:
        citation = sentence.citations[0]
        original = text[citation.evidence.article_id][citation.evidence.start:citation.evidence.end]
        assert len(sentence.text) < len(original)
        assert sentence.check.label == "supported"


def test_compression_can_be_switched_off(seed_story, seed_articles, seed_analyses):
    written = write_story(seed_story, seed_articles, seed_analyses, [], {"summary_sentences": 30, "compress": False})
    assert not any(s.compressed for s in written.summary)
