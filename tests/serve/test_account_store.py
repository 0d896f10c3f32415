"""AccountStore on a fresh database of each backend (migration 0002's tables)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crosscheck.store.accounts import AccountStore, UsernameTaken


@pytest.fixture
def accounts(store) -> AccountStore:
    return AccountStore(store.engine)


def test_usernames_are_unique_case_insensitively_and_keep_their_display_form(accounts):
    user = accounts.create_user("Ada.L", "hash")
    assert accounts.user_by_name("ada.l").id == user.id
    assert accounts.user_by_name("ADA.L").display_name == "Ada.L"
    with pytest.raises(UsernameTaken):
        accounts.create_user("ada.L", "other hash")


def test_a_session_ends_when_it_expires_or_is_ended(accounts):
    user = accounts.create_user("reader", "hash")
    now = datetime.now(timezone.utc)
    accounts.create_session("a" * 64, user.id, now + timedelta(days=1))
    accounts.create_session("b" * 64, user.id, now - timedelta(seconds=1))
    assert accounts.session_user("a" * 64).id == user.id
    assert accounts.session_user("b" * 64) is None
    assert accounts.purge_expired_sessions() == 1
    accounts.end_session("a" * 64)
    assert accounts.session_user("a" * 64) is None


def test_comments_come_back_oldest_first_with_author_and_report_count(accounts):
    alice, bob = accounts.create_user("alice", "h"), accounts.create_user("bob", "h")
    first = accounts.add_comment("story-1", alice.id, "first", "<p>first</p>")
    reply = accounts.add_comment("story-1", bob.id, "reply", "<p>reply</p>", parent_id=first)
    accounts.add_comment("story-2", bob.id, "elsewhere", "<p>elsewhere</p>")
    assert accounts.report_comment(first, bob.id, "spam")
    assert not accounts.report_comment(first, bob.id, "spam again")  # one report per reader
    rows = accounts.story_comments("story-1")
    assert [(r.id, r.author, r.parent_id, r.reports) for r in rows] == \
        [(first, "alice", None, 1), (reply, "bob", first, 0)]


def test_deleting_keeps_the_place_but_drops_the_text(accounts):
    alice = accounts.create_user("alice", "h")
    comment = accounts.add_comment("story-1", alice.id, "secret", "<p>secret</p>")
    accounts.delete_comment(comment)
    row = accounts.get_comment(comment)
    assert row.deleted and row.body == "" and row.html == "" and row.edited
    assert accounts.count_comments("story-1") == 0


def test_hidden_comments_are_not_counted(accounts):
    alice = accounts.create_user("alice", "h")
    shown = accounts.add_comment("story-1", alice.id, "a", "<p>a</p>")
    hidden = accounts.add_comment("story-1", alice.id, "b", "<p>b</p>")
    accounts.set_hidden(hidden, True)
    assert accounts.count_comments("story-1") == 1
    assert accounts.get_comment(shown).hidden is False
