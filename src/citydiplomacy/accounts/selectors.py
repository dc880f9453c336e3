"""Reads over users: the members of an organisation, scoped by accounts.permissions."""

from __future__ import annotations

from django.db.models import QuerySet

from citydiplomacy.accounts import permissions
from citydiplomacy.accounts.models import User


def members_visible_to(user) -> QuerySet[User]:
    """Members of the organisations whose records the user may read."""
    queryset = User.objects.select_related("organisation").order_by("username")
    queryset = queryset.exclude(organisation__isnull=True)
    return permissions.scope_to_readable(queryset, user, field="organisation")


def own_organisation_members(user) -> QuerySet[User]:
    """Members of the user's own organisation (none for oversight and users without one)."""
    organisation_id = permissions.organisation_id_of(user)
    if organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=organisation_id).order_by("username")
