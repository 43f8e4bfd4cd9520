"""Console users on a real database: creation, passwords (argon2id), disabling."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from casebridge.infra.auth.scopes import UnknownScopeError
from casebridge.infra.auth.sign_in.sessions import LoginSessionStore
from casebridge.infra.auth.issuer.users import (
    UserConflictError,
    UserRegistrationError,
    UserStore,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def users(db, jurisdictions, clock) -> UserStore:
    return UserStore(db, jurisdictions, clock=clock)


def test_a_created_user_is_stored_with_an_argon2id_hash_of_the_password(users, db):
    user = users.create(username="Li.Wei", password=PASSWORD, jurisdiction="330100", scope="cases:write cases:read", display_name="李伟")

    assert (user.username, user.display_name, user.jurisdiction, user.scope) == ("li.wei", "李伟", "330100", "cases:read cases:write")
    stored_hash = db.query_one("SELECT password_hash FROM console_users WHERE username = 'li.wei'")[0]
    assert stored_hash.startswith("$argon2id$") and PASSWORD not in stored_hash
    assert users.get("LI.WEI") == user


def test_the_display_name_defaults_to_the_username(users):
    assert users.create(username="zhang.min", password=PASSWORD, jurisdiction="310000", scope="cases:read").display_name == "zhang.min"


def test_the_right_password_gives_the_user_and_a_wrong_one_nothing(users):
    users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")

    assert users.verify_password("li.wei", PASSWORD).username == "li.wei"
    assert users.verify_password("li.wei", PASSWORD + "!") is None
    assert users.verify_password("nobody", PASSWORD) is None


def test_a_duplicate_username_is_refused_whatever_its_case(users):
    users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")

    with pytest.raises(UserConflictError, match="already exists"):
        users.create(username="Li.Wei", password="another password!", jurisdiction="310000", scope="cases:write")

    assert users.get("li.wei").jurisdiction == "330100"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"password": "too short"}, UserRegistrationError),
        ({"jurisdiction": "999999"}, UserRegistrationError),
        ({"scope": "cases:read cases:delete"}, UnknownScopeError),
        ({"scope": ""}, UnknownScopeError),
        ({"username": "-rm"}, UserRegistrationError),
    ],
    ids=["short password", "unknown jurisdiction", "unknown scope", "no scope", "bad username"],
)
def test_a_user_that_cannot_be_created_leaves_nothing_behind(users, changes, error):
    wanted = {"username": "li.wei", "password": PASSWORD, "jurisdiction": "330100", "scope": "cases:read", **changes}

    with pytest.raises(error):
        users.create(**wanted)

    assert users.list_all() == []


def test_a_disabled_user_cannot_sign_in_even_with_the_right_password(users):
    users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")

    disabled = users.disable("li.wei")

    assert disabled.is_disabled
    assert users.verify_password("li.wei", PASSWORD) is None
    assert users.find_active("li.wei") is None


def test_disabling_a_user_ends_their_login_sessions(users, db, clock):
    users.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")
    sessions = LoginSessionStore(db, users, clock=clock)
    session_id = sessions.start("li.wei")

    users.disable("li.wei")

    assert sessions.user_of(session_id) is None


def test_a_hash_made_with_older_argon2_parameters_is_replaced_at_the_next_sign_in(db, jurisdictions, clock):
    old = UserStore(db, jurisdictions, clock=clock, hasher=PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1))
    old.create(username="li.wei", password=PASSWORD, jurisdiction="330100", scope="cases:read")
    old_hash = db.query_one("SELECT password_hash FROM console_users")[0]
    current = UserStore(db, jurisdictions, clock=clock)

    assert current.verify_password("li.wei", PASSWORD) is not None

    new_hash = db.query_one("SELECT password_hash FROM console_users")[0]
    assert new_hash != old_hash
    assert not PasswordHasher().check_needs_rehash(new_hash)
    assert current.verify_password("li.wei", PASSWORD) is not None
