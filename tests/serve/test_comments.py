"""Comments: post, edit and delete own, one-level replies, reports, moderation, sanitising, limits."""

from __future__ import annotations

import re
import uuid

import lxml.html
import pytest

from crosscheck.serve.accounts import create_user_cli
from tests.serve.conftest import PASSWORD, csrf_of, new_client, sign_up


@pytest.fixture
def story_id(reader_store) -> str:
    return reader_store.list_stories(limit=1, order="covered")[0].id


def post(client, story_id, body, parent_id=None):
    data = {"body": body, "csrf": csrf_of(client, f"/stories/{story_id}")}
    if parent_id is not None:
        data["parent_id"] = str(parent_id)
    return client.post(f"/stories/{story_id}/comments", data=data)


def posted_id(response) -> int:
    assert response.status_code == 303, response.text[:500]
    return int(re.search(r"#comment-(\d+)$", response.headers["location"]).group(1))


def comment_element(client, story_id, comment_id):
    doc = lxml.html.fromstring(client.get(f"/stories/{story_id}").text)
    found = doc.xpath(f'//li[@id="comment-{comment_id}"]')
    return found[0] if found else None


def body_text(client, story_id, comment_id) -> str:
    element = comment_element(client, story_id, comment_id)
    return "" if element is None else element.cssselect(".comment-body")[0].text_content().strip()


def test_a_posted_comment_shows_on_the_story_and_in_the_api(client, story_id):
    sign_up(client)
    text = f"Useful summary {uuid.uuid4().hex}"
    comment_id = posted_id(post(client, story_id, text))
    assert body_text(client, story_id, comment_id) == text
    api = client.get(f"/api/stories/{story_id}/comments").json()
    assert any(c["id"] == comment_id and text in c["html"] for c in api)
    anonymous = new_client(client.app)
    assert body_text(anonymous, story_id, comment_id) == text


def test_markdown_subset_is_rendered(client, story_id):
    sign_up(client)
    comment_id = posted_id(post(client, story_id, "**bold** and [a link](https://example.org/x)\n\n- one\n- two"))
    element = comment_element(client, story_id, comment_id)
    assert element.cssselect(".comment-body strong")[0].text == "bold"
    link = element.cssselect(".comment-body a")[0]
    assert link.get("href") == "https://example.org/x" and "nofollow" in link.get("rel")
    assert len(element.cssselect(".comment-body li")) == 2


PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<iframe src=https://evil.example></iframe>",
    "\"><script>alert(1)</script>",
]


def test_script_and_event_handler_payloads_are_rendered_inert(client, story_id):
    sign_up(client)
    ids = [posted_id(post(client, story_id, payload)) for payload in PAYLOADS[:6]]
    other = new_client(client.app)  # the post rate limit is per user
    sign_up(other)
    ids += [posted_id(post(other, story_id, payload)) for payload in PAYLOADS[6:]]
    doc = lxml.html.fromstring(client.get(f"/stories/{story_id}").text)
    for comment_id, payload in zip(ids, PAYLOADS):
        body = doc.xpath(f'//li[@id="comment-{comment_id}"]')[0].cssselect(".comment-body")[0]
        assert not body.xpath(".//script | .//img | .//svg | .//iframe"), payload
        assert not [a for a in body.iter() for name in a.attrib if name.lower().startswith("on")], payload
        assert all(not (a.get("href") or "").lower().startswith(("javascript:", "data:"))
                   for a in body.iter("a")), payload
        assert body.text_content().strip(), payload  # the text is still shown, as text
    assert not doc.xpath('//script[not(@type="application/ld+json")]')


def test_author_can_edit_own_comment(client, story_id):
    sign_up(client)
    comment_id = posted_id(post(client, story_id, "first version"))
    form = client.get(f"/comments/{comment_id}/edit")
    assert form.status_code == 200 and "first version" in form.text
    response = client.post(f"/comments/{comment_id}/edit",
                           data={"body": "second version", "csrf": csrf_of(client, f"/comments/{comment_id}/edit")})
    assert response.status_code == 303
    assert body_text(client, story_id, comment_id) == "second version"
    assert "edited" in comment_element(client, story_id, comment_id).cssselect(".meta")[0].text_content()


def test_author_can_delete_own_comment(client, story_id):
    sign_up(client)
    comment_id = posted_id(post(client, story_id, "soon gone"))
    response = client.post(f"/comments/{comment_id}/delete", data={"csrf": csrf_of(client, f"/stories/{story_id}")})
    assert response.status_code == 303
    assert comment_element(client, story_id, comment_id) is None
    assert "soon gone" not in client.get(f"/api/stories/{story_id}/comments").text


def test_another_users_comment_cannot_be_edited_or_deleted(client, story_id):
    sign_up(client)
    comment_id = posted_id(post(client, story_id, "mine, not yours"))
    other = new_client(client.app)
    sign_up(other)
    token = csrf_of(other, f"/stories/{story_id}")
    assert other.get(f"/comments/{comment_id}/edit").status_code == 403
    assert other.post(f"/comments/{comment_id}/edit", data={"body": "defaced", "csrf": token}).status_code == 403
    assert other.post(f"/comments/{comment_id}/delete", data={"csrf": token}).status_code == 403
    assert body_text(client, story_id, comment_id) == "mine, not yours"
    page = lxml.html.fromstring(other.get(f"/stories/{story_id}").text)
    actions = page.xpath(f'//li[@id="comment-{comment_id}"]/div[@class="comment-actions"]//a/text()')
    assert "Edit" not in actions


def test_signed_out_visitors_cannot_post(client, story_id):
    response = client.post(f"/stories/{story_id}/comments",
                           data={"body": "anonymous words", "csrf": csrf_of(client, "/signin")})
    assert response.status_code == 401
    assert "anonymous words" not in client.get(f"/api/stories/{story_id}/comments").text


def test_replies_are_one_level_deep(client, story_id):
    sign_up(client)
    top = posted_id(post(client, story_id, "top level"))
    reply = posted_id(post(client, story_id, "a reply", parent_id=top))
    reply_to_reply = posted_id(post(client, story_id, "a reply to the reply", parent_id=reply))
    api = {c["id"]: c for c in client.get(f"/api/stories/{story_id}/comments").json()}
    assert api[reply]["parent_id"] == top and api[reply_to_reply]["parent_id"] == top
    element = comment_element(client, story_id, top)
    nested = [li.get("id") for li in element.cssselect("ol.replies > li")]
    assert nested == [f"comment-{reply}", f"comment-{reply_to_reply}"]


def test_a_reply_must_be_on_the_same_story(client, reader_store, story_id):
    sign_up(client)
    top = posted_id(post(client, story_id, "on the first story"))
    other_story = next(r.id for r in reader_store.list_stories(limit=5) if r.id != story_id)
    assert post(client, other_story, "cross-story reply", parent_id=top).status_code == 400


def test_empty_comments_are_refused_with_a_message(client, story_id):
    sign_up(client)
    response = post(client, story_id, "   ")
    assert response.status_code == 400 and 'role="alert"' in response.text


def test_posting_too_fast_is_rate_limited(client, story_id):
    sign_up(client)
    statuses = [post(client, story_id, f"message {i}").status_code for i in range(8)]
    assert statuses[0] == 303 and statuses[-1] == 429


@pytest.fixture
def moderator(client, reader_store):
    name = "mod" + uuid.uuid4().hex[:8]
    create_user_cli(reader_store.url, name, PASSWORD, moderator=True)
    mod = new_client(client.app)
    response = mod.post("/signin", data={"username": name, "password": PASSWORD, "csrf": csrf_of(mod)})
    assert response.status_code == 303
    return mod


def test_report_reaches_the_moderators(client, moderator, story_id):
    sign_up(client)
    comment_id = posted_id(post(client, story_id, "questionable"))
    reader = new_client(client.app)
    sign_up(reader)
    response = reader.post(f"/comments/{comment_id}/report",
                           data={"reason": "spam", "csrf": csrf_of(reader, f"/stories/{story_id}")})
    assert response.status_code == 303
    assert "moderator will look" in reader.get(response.headers["location"]).text
    badge = comment_element(moderator, story_id, comment_id).cssselect(".badge.ai")
    assert badge and badge[0].text_content() == "1 report"
    assert not comment_element(client, story_id, comment_id).cssselect(".badge.ai")  # authors don't see counts


def test_moderator_can_hide_and_others_see_a_placeholder(client, moderator, story_id):
    sign_up(client)
    comment_id = posted_id(post(client, story_id, "off-topic rant"))
    response = moderator.post(f"/comments/{comment_id}/hide",
                              data={"hidden": "1", "csrf": csrf_of(moderator, f"/stories/{story_id}")})
    assert response.status_code == 303
    element = comment_element(new_client(client.app), story_id, comment_id)
    assert element is None or "off-topic rant" not in element.text_content()
    assert "off-topic rant" in comment_element(moderator, story_id, comment_id).text_content()
    api = {c["id"]: c for c in client.get(f"/api/stories/{story_id}/comments").json()}
    assert api[comment_id]["hidden"] and api[comment_id]["html"] is None


def test_readers_cannot_hide_comments(client, story_id):
    sign_up(client)
    comment_id = posted_id(post(client, story_id, "stays visible"))
    response = client.post(f"/comments/{comment_id}/hide",
                           data={"hidden": "1", "csrf": csrf_of(client, f"/stories/{story_id}")})
    assert response.status_code == 403
    assert body_text(client, story_id, comment_id) == "stays visible"


def test_anonymous_readers_see_new_and_hidden_comments_at_once(client, moderator, story_id):
    anonymous = new_client(client.app)
    anonymous.get(f"/stories/{story_id}")  # the shared anonymous copy of the page now exists
    sign_up(client)
    words = f"fresh {uuid.uuid4().hex}"
    comment_id = posted_id(post(client, story_id, words))
    assert words in anonymous.get(f"/stories/{story_id}").text
    moderator.post(f"/comments/{comment_id}/hide",
                   data={"hidden": "1", "csrf": csrf_of(moderator, f"/stories/{story_id}")})
    assert words not in anonymous.get(f"/stories/{story_id}").text
