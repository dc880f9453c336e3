"""Unit tests for the permission service (accounts.permissions), role by role."""

import pytest

from citydiplomacy.accounts import permissions


@pytest.mark.parametrize(
    "role, read_own, edit_own, decide_own, manage_own, read_other",
    [
        ("viewer", True, False, False, False, False),
        ("officer", True, True, False, False, False),
        ("approver", True, False, True, False, False),
        ("admin", True, True, True, True, False),
        ("oversight", True, False, False, False, True),
    ],
)
def test_role_capabilities(users, istanbul, ankara, role, read_own, edit_own, decide_own,
                           manage_own, read_other):
    user = users[role]
    assert permissions.can_read_organisation(user, istanbul.pk) is read_own
    assert permissions.can_edit_organisation(user, istanbul.pk) is edit_own
    assert permissions.can_decide_for_organisation(user, istanbul.pk) is decide_own
    assert permissions.can_manage_users(user, istanbul.pk) is manage_own
    assert permissions.can_read_organisation(user, ankara.pk) is read_other
    assert permissions.can_edit_organisation(user, ankara.pk) is False


def test_officer_of_another_organisation_cannot_edit_or_read(users, istanbul):
    other = users["other_officer"]
    assert not permissions.can_read_organisation(other, istanbul.pk)
    assert not permissions.can_edit_organisation(other, istanbul.pk)


def test_anonymous_and_inactive_users_get_nothing(users, istanbul):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can_read_organisation(AnonymousUser(), istanbul.pk)
    officer = users["officer"]
    officer.is_active = False
    assert not permissions.can_edit_organisation(officer, istanbul.pk)


def test_scope_to_readable_filters_by_organisation(users, istanbul, ankara):
    from citydiplomacy.accounts.models import User

    members = User.objects.exclude(organisation__isnull=True)
    own = set(permissions.scope_to_readable(members, users["officer"]).values_list("username", flat=True))
    assert own == {"ibb-viewer", "ibb-officer", "ibb-approver", "ibb-admin"}
    assert set(permissions.scope_to_readable(members, users["other_officer"])) == {users["other_officer"]}
    assert permissions.scope_to_readable(members, users["oversight"]).count() == members.count()
    assert permissions.readable_organisation_ids(users["oversight"]) is None
    assert permissions.readable_organisation_ids(users["viewer"]) == [istanbul.pk]
    assert permissions.readable_organisation_ids(users["other_officer"]) == [ankara.pk]
