"""Reads over the registry of local governments."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from citydiplomacy.governments.models import IdentityCorrection, LocalGovernment
from citydiplomacy.governments.naming import search_key


def local_governments(*, country: str | None = None, search: str | None = None,
                      kind: str | None = None) -> QuerySet[LocalGovernment]:
    queryset = LocalGovernment.objects.all()
    if country:
        queryset = queryset.filter(country_code=country.strip().upper())
    if kind:
        queryset = queryset.filter(kind=kind)
    if search and search.strip():
        for word in search_key(search).split():
            queryset = queryset.filter(search_text__contains=word)
    return queryset.order_by("name", "id")


def identity_corrections(*, state: str | None = None,
                         government: int | None = None) -> QuerySet[IdentityCorrection]:
    """Proposed corrections of identity, newest first (the registry and its history are
    readable by every signed-in user; who decides is accounts.permissions')."""
    queryset = IdentityCorrection.objects.select_related("government", "proposed_by", "decided_by")
    if state:
        queryset = queryset.filter(state=state)
    if government:
        queryset = queryset.filter(government_id=government)
    return queryset.order_by("-proposed_at", "-id")


def corrections_to_decide(user) -> list[IdentityCorrection]:
    """Open proposals this user may decide (a steward's queue)."""
    from citydiplomacy.accounts import permissions

    if not permissions.can_review_registry_corrections(user):
        return []
    return [c for c in identity_corrections(state=IdentityCorrection.State.OPEN)
            if permissions.can_steward_registry_record(user, c.government)]


def organisations() -> QuerySet[LocalGovernment]:
    """Local governments that use the system (have at least one member)."""
    return (
        LocalGovernment.objects.annotate(member_count=Count("members"))
        .filter(member_count__gt=0)
        .order_by("name")
    )


# what `registry_version` reads, for keys that read it together with other columns
REGISTRY_VERSION_COLUMNS = ((LocalGovernment, "id"), (LocalGovernment, "updated_at"),
                            (LocalGovernment.history.model, "history_id"))


def registry_version() -> tuple:
    """A key that changes whenever the registry of local governments does: a row added (the
    highest id), edited (the latest `updated_at`) or deleted (every ORM deletion leaves a
    history record). Index lookups in one query, where counting the rows scans the whole table."""
    from citydiplomacy.core.change_keys import latest

    return latest(*REGISTRY_VERSION_COLUMNS)


def registry_counts() -> dict[str, int]:
    """The registry's size for the dashboard: local governments, their countries, the
    unresolved ones and the organisations that use the system."""
    counts = LocalGovernment.objects.aggregate(
        local_governments=Count("id"),
        countries=Count("country_code", distinct=True, filter=~Q(country_code="")),
        unresolved=Count("id", filter=Q(is_unresolved=True)))
    # the same set as organisations(), counted through the (few) members, not a join and
    # grouping over the whole registry
    return {**counts, "organisations": get_user_model().objects.filter(
        organisation__isnull=False).values("organisation_id").distinct().count()}
