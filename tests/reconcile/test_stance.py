from crosscheck.reconcile import stance

CLAIM = "Japanese Prime Minister plans first official visit to Washington in March"
RESTATES = ("Japan's Prime Minister will make his first official visit to Washington in March, "
            "officials said. The visit will focus on trade and security.")
REFUTES = ("Officials denied that the Prime Minister plans an official visit to Washington in March. "
           "The report is false, a spokesman said.")
HEDGES = ("The Prime Minister may reportedly visit Washington, according to unconfirmed reports. "
          "An official visit in March could be discussed, sources claim.")


def test_text_about_something_else_is_unrelated():
    result = stance(CLAIM, "Heavy rain flooded several villages in northern Italy on Sunday.")
    assert result.label == "unrelated" and result.relatedness < 0.3


def test_text_restating_the_claim_agrees():
    assert stance(CLAIM, RESTATES).label == "agree"


def test_text_refuting_the_claim_disagrees():
    result = stance(CLAIM, REFUTES)
    assert result.label == "disagree" and any("refutes" in r for r in result.reasons)


def test_hedged_text_discusses():
    assert stance(CLAIM, HEDGES).label == "discuss"


def test_different_figure_for_the_claim_disagrees():
    claim = "Pentagon awards Lockheed Martin 328 million contract for Taiwan support"
    body = "The Pentagon awarded Lockheed Martin a 500 million contract for Taiwan support on Friday."
    assert stance(claim, body).label == "disagree"


def test_seed_sources_are_related_and_teasers_are_not(seed_articles):
    body_000 = seed_articles["000"].text
    assert stance(seed_articles["003"].title, body_000).label != "unrelated"
    teaser = seed_articles["003"].related[0].text
    assert stance(teaser, body_000).label == "unrelated"
