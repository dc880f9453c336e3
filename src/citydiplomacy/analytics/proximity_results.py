"""Proximity profiles computed in the background (issue 15): the figures of an organisation's
profile (analytics.proximity.profile_numbers) are computed by a django-tasks task and stored
with core/stored_results, one entry per organisation, under the key of their inputs: the
organisation's published partners and the recommender world they are placed in
(recommend.services world key). The page reads the stored figures, labels them in the
reader's language (analytics.proximity.profile_from) and never computes them: when the inputs
changed it shows the previous profile with its date and a "being updated" note, and the task
is enqueued (once). A step that publishes or ends a tie asks for the task when it commits.
"""

from __future__ import annotations

import hashlib

from django.utils import timezone
from django_tasks import task

from citydiplomacy.accounts.permissions import PUBLIC_AGREEMENT_STATES
from citydiplomacy.core import stored_results


def kind(organisation_id: int) -> str:
    return f"proximity:{organisation_id}"


def partner_ids(organisation_id: int) -> list[int]:
    """The partners a profile is drawn from: those of the organisation's published ties (one
    per tie, as a partner twinned twice counts twice)."""
    from citydiplomacy.agreements.models import Agreement

    return list(Agreement.objects.filter(organisation_id=organisation_id, archived_at__isnull=True,
                                         state__in=PUBLIC_AGREEMENT_STATES, partner__isnull=False)
                .order_by("partner_id").values_list("partner_id", flat=True))


def world_key() -> str:
    """What places the partners: the recommender's inputs (model file, reported ties, local
    governments); three cheap reads."""
    from citydiplomacy.recommend.services import _cache_key

    return repr(_cache_key())


def inputs_of(organisation_id: int, partners: list[int] | None = None) -> str:
    ids = partner_ids(organisation_id) if partners is None else partners
    digest = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:16]
    return f"{digest}|{world_key()}"


def compute(organisation_id: int) -> dict:
    """Compute and store the figures of one organisation's profile. The inputs are read
    BEFORE the partners: a change meanwhile leaves the result under the older key."""
    from citydiplomacy.analytics.proximity import profile_numbers
    from citydiplomacy.governments.models import LocalGovernment

    organisation = LocalGovernment.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return {}
    ids = partner_ids(organisation_id)
    inputs = inputs_of(organisation_id, ids)
    by_pk = LocalGovernment.objects.in_bulk(set(ids))
    numbers = profile_numbers(organisation, [by_pk[pk] for pk in ids if pk in by_pk])
    numbers["computed_at"] = timezone.now().isoformat(timespec="seconds")
    stored_results.write(kind(organisation_id), inputs, numbers)
    return numbers


@task()
def refresh_proximity(organisation_id: int) -> dict:
    numbers = compute(organisation_id)
    return {"organisation": organisation_id, "placed": numbers.get("placed", 0)}


def stored_profile(organisation_id: int) -> stored_results.Stored:
    """The stored figures of this organisation's profile (see stored_results.read)."""
    return stored_results.read(kind(organisation_id), inputs_of(organisation_id), refresh_proximity,
                               organisation_id)


def partners_changed(organisation_id: int) -> None:
    """Recompute this organisation's profile once the current transaction commits."""
    stored_results.refresh_after_commit(refresh_proximity, organisation_id)
