"""`crosscheck user create`: the first (moderator) account, made from the command line."""

from __future__ import annotations

from typer.testing import CliRunner

from crosscheck.cli import app
from crosscheck.store import Store
from crosscheck.store.accounts import AccountStore


def test_user_create_makes_a_moderator_with_a_hashed_password(db_url):
    result = CliRunner().invoke(app, ["user", "create", "Editor", "--moderator", "--password-stdin",
                                      "--db", db_url], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    store = Store.open(db_url)
    try:
        user = AccountStore(store.engine).user_by_name("editor")
    finally:
        store.close()
    assert user.is_moderator and user.display_name == "Editor"
    assert user.password_hash.startswith("$argon2id$")


def test_user_create_refuses_a_short_password(db_url):
    result = CliRunner().invoke(app, ["user", "create", "someone", "--password-stdin", "--db", db_url],
                                input="short\n")
    assert result.exit_code == 2
    assert "at least" in result.output
