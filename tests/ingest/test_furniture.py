"""Page furniture leaves the body: disclaimers, related-story rails, comment prompts."""

from crosscheck.ingest.furniture import is_notice, split_furniture, split_paragraphs


def _split(text: str):
    return split_furniture(split_paragraphs(text))


def test_seed_003_body_stops_before_the_ai_disclaimer(seed_texts):
    split = _split(seed_texts["003"])
    assert split.paragraphs[-1].endswith("military escalations in the Taiwan Strait.")
    assert "AI-generated" not in split.body


def test_seed_003_related_teasers_are_links_not_body(seed_texts):
    split = _split(seed_texts["003"])
    assert "Related Articles" not in split.body
    assert "Balochistan" not in split.body and "NATO" not in split.body
    teasers = [link.text for link in split.related]
    assert len(teasers) == 4
    assert teasers[0].startswith("Pakistan military reports killing 92 militants")
    assert teasers[-1].startswith("President Trump's intervention led to a temporary halt")


def test_seed_003_comment_prompt_is_dropped(seed_texts):
    split = _split(seed_texts["003"])
    everything_kept = split.body + " ".join(link.text for link in split.related)
    assert "Sign in to join the conversation" not in everything_kept
    assert "Share your thoughts" not in everything_kept
    assert "Sign in to join the conversation" in split.dropped


def test_seed_003_disclaimer_is_kept_as_a_notice(seed_texts):
    split = _split(seed_texts["003"])
    assert split.notices == [
        "This content is AI-generated based on source articles. While we strive for accuracy, "
        "errors may occur. We recommend verifying with the original source."
    ]


def test_seed_000_original_article_and_statement_lines_leave_the_body(seed_texts):
    split = _split(seed_texts["000"])
    assert "Original article" not in split.body and "Statement:" not in split.body
    assert split.notices[0].startswith("Original article: toutiao.com/article/1852404262547456")
    assert split.notices[1].startswith("Statement: This article represents the views of the author himself")
    assert split.paragraphs[-1].startswith("There is still some time until March next year")


def test_a_body_sentence_about_ai_is_not_a_disclaimer():
    sentence = (
        "Regulators said the company had used AI-generated images in three campaigns last year, "
        "and that the practice would be reviewed by the competition authority before the summer, "
        "according to documents seen by reporters. The firm denied wrongdoing and said every image "
        "had been labelled. Analysts expect the review to take several months and to set a precedent "
        "for how advertising agencies disclose synthetic material to consumers across the region."
    )
    assert not is_notice(sentence)


def test_short_news_sentences_that_look_like_notice_cues_stay_in_the_body():
    sentences = [
        "The company said AI-generated images were used in three of its advertisements.",
        "Statement by the ministry said the talks would resume on Friday.",
        "Translation of the treaty into Japanese was delayed by a month.",
        "Published by Penguin in 1998.",
    ]
    assert not any(is_notice(s) for s in sentences)
    assert split_furniture(["Opening.", *sentences]).paragraphs == ["Opening.", *sentences]
    assert is_notice("This article was written with the help of AI and checked by an editor.")


def test_a_thoughts_subheading_followed_by_text_stays_in_the_body():
    paragraphs = ["Opening paragraph of the essay.", "Thoughts", "The author's closing thoughts run on here."]
    assert split_furniture(paragraphs).paragraphs == paragraphs


def test_inline_read_more_teaser_becomes_a_related_link():
    split = split_furniture(["First paragraph.", "Read more: Markets slide as oil prices jump", "Last paragraph."])
    assert split.paragraphs == ["First paragraph.", "Last paragraph."]
    assert [link.text for link in split.related] == ["Markets slide as oil prices jump"]


def test_hard_wrapped_text_is_joined_into_one_paragraph():
    text = (
        "The committee met on Tuesday to discuss the budget for next year and\n"
        "agreed to postpone the vote until the auditors had reported back on the\n"
        "spending of the previous quarter.\n\nA second paragraph."
    )
    assert split_paragraphs(text) == [
        "The committee met on Tuesday to discuss the budget for next year and agreed to postpone the "
        "vote until the auditors had reported back on the spending of the previous quarter.",
        "A second paragraph.",
    ]


def test_a_rail_in_the_middle_of_an_article_ends_where_the_story_goes_on():
    # Shape of express.co.uk's pages: "DON'T MISS" and three headlines between paragraphs.
    paragraphs = [
        "China has sent troops to Hong Kong in a bid to restore order after months of protests.",
        "DON'T MISS",
        "China furious at Macron for Hong Kong protest jibe [INSIGHT]",
        "Lakers vs Nets: NBA make final decision on game amid China turmoil [VIDEO]",
        "Protesters believe the extradition bill is an example of Hong Kong's eroding autonomy.",
        "They worry China is taking back the freedoms given to Hong Kong in 1997.",
        "Police have laid siege to a university, pinning 800 students inside the campus.",
        "China said it is committed to the one country, two systems formula for the city.",
        "The UK has urged an end to the violence and for all sides to engage in dialogue.",
        "Officials in Beijing repeated that the unrest must end as soon as possible now.",
        "Several hundred protesters remained inside the campus on Tuesday evening, police said.",
    ]
    split = split_furniture(paragraphs)
    assert [link.text for link in split.related] == [paragraphs[2], paragraphs[3]]
    assert split.paragraphs == [paragraphs[0], *paragraphs[4:]]


def test_see_more_teaser_line_is_a_related_link():
    split = split_furniture(["First paragraph.", "SEE MORE: Hong Kong protests: 800 students under siege"])
    assert split.paragraphs == ["First paragraph."]
    assert split.related[0].text == "Hong Kong protests: 800 students under siege"


def test_short_page_lines_are_dropped_from_the_body():
    # Lines from real benchmark pages (nj.com, inexhibit.com, thehill.com).
    page_lines = [
        "Have a tip? Amy Kuperinsky may be reached at akuperinsky@njadvancemedia.com. Follow her on Twitter @AmyKup.",
        "Get the latest updates right in your inbox. Subscribe to NJ.com’s newsletters.",
        "copyright Inexhibit 2019 - ISSN: 2283-5474",
        "Jewels after Jewels after Jewels, installation views, photos © Inexhibit, 2018",
        "Updated at 1:23 p.m.",
    ]
    body = ["The governor launched the campaign on Monday.", "It drew attention on social media."]
    split = split_furniture([body[0], *page_lines, body[1]])
    assert split.paragraphs == body
    assert split.dropped == page_lines


def test_a_long_paragraph_mentioning_a_newsletter_stays_in_the_body():
    paragraph = (
        "The company said readers who subscribe to its newsletter will get the report first, a move "
        "critics described as a way to build a mailing list before the election, and regulators said "
        "they would look at whether the data was handled lawfully under the new rules."
    )
    assert split_furniture(["Opening.", paragraph]).paragraphs == ["Opening.", paragraph]
