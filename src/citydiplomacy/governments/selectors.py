"""Reads over the registry of local governments."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from citydiplomacy.governments.models import LocalGovernment
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


def organisations() -> QuerySet[LocalGovernment]:
    """Local governments that use the system (have at least one member)."""
    return (
        LocalGovernment.objects.annotate(member_count=Count("members"))
        .filter(member_count__gt=0)
        .order_by("name")
    )


def registry_counts() -> dict[str, int]:
    return {
        "local_governments": LocalGovernment.objects.count(),
        "countries": LocalGovernment.objects.exclude(country_code="")
        .values("country_code").distinct().count(),
        "unresolved": LocalGovernment.objects.filter(is_unresolved=True).count(),
        # the same set as organisations(), counted through the (few) members, not a join
        # and grouping over the whole registry
        "organisations": LocalGovernment.objects.filter(members__isnull=False).distinct().count(),
    }
