"""Who holds which bot role."""

from bot.permissions import Role, roles_for


def held(**kwargs: object) -> frozenset[Role]:
    base: dict[str, object] = {
        "manage_guild": False,
        "manage_messages": False,
        "role_ids": [],
        "moderator_role_id": 10,
        "host_role_id": 20,
    }
    base.update(kwargs)
    return roles_for(**base)  # type: ignore[arg-type]


def test_everyone_is_a_learner_only() -> None:
    assert held() == {Role.LEARNER}


def test_configured_roles_grant_moderator_and_host_without_permissions() -> None:
    assert held(role_ids=[10]) == {Role.LEARNER, Role.MODERATOR}
    assert held(role_ids=[20]) == {Role.LEARNER, Role.HOST}
    assert held(role_ids=[10, 20]) == {Role.LEARNER, Role.MODERATOR, Role.HOST}


def test_manage_messages_makes_a_moderator_not_a_host() -> None:
    assert held(manage_messages=True) == {Role.LEARNER, Role.MODERATOR}


def test_manage_server_holds_every_role() -> None:
    assert held(manage_guild=True) == set(Role)


def test_unconfigured_roles_grant_nothing() -> None:
    assert held(role_ids=[10, 20], moderator_role_id=None, host_role_id=None) == {Role.LEARNER}


def test_refusals_are_polite_sentences() -> None:
    for role in Role:
        assert role.refusal.endswith(".")
