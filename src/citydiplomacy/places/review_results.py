"""Candidates of the place review computed in the background (issue 15): for each name in the
review queue, what the resolver answers (status, reason, the best candidate and the
alternatives) is computed by a django-tasks task and stored with core/stored_results, one
entry per local government, under the key of its inputs: the name and country text as
imported and the gazetteer and review choices (change keys: their largest ids, index reads).

A finished import (an ImportBatch row) or a recorded review choice asks for the whole queue
once the change commits; the review page reads the stored candidates and never resolves:
when the inputs changed it shows the previous candidates with their date and a "being
updated" note, and the task is enqueued for that name.
"""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from citydiplomacy.core import stored_results

from .resolver import Candidate


def kind(government_id: int) -> str:
    return f"review:{government_id}"


def gazetteer_key() -> str:
    """Moves when the gazetteer is loaded again or a reviewer records a choice."""
    from citydiplomacy.core.change_keys import latest

    from .models import Country, Place, Region, ReviewChoice

    return repr(latest((Place, "geonameid"), (Region, "code"), (Country, "code"), (ReviewChoice, "chosen_at")))


def inputs_of(government, key: str | None = None) -> str:
    return "|".join([government.raw_name or government.name, government.raw_country or "",
                     key or gazetteer_key()])


def _stored(resolution) -> dict:
    candidates = list(resolution.alternatives)
    if resolution.best is not None:
        candidates.insert(0, resolution.best)
    return {"status": resolution.status, "reason": resolution.reason, "country_code": resolution.country_code,
            "candidates": [asdict(c) for c in candidates]}


def candidates_of(value: dict) -> list[Candidate]:
    return [Candidate(**c) for c in value.get("candidates", [])]


def compute(government_ids: list[int] | None = None) -> int:
    """Resolve and store the candidates of these local governments (default: the whole review
    queue) with a resolver built now from the database (choices included). The key is read
    BEFORE resolving: a change meanwhile leaves the results under the older key."""
    from citydiplomacy.governments.models import LocalGovernment

    from .selectors import DbResolver, review_choices, review_queue

    key = gazetteer_key()
    resolver = DbResolver.build(review_choices())
    governments = (review_queue() if government_ids is None
                   else LocalGovernment.objects.filter(pk__in=government_ids))
    done = 0
    for government in governments.iterator(chunk_size=500):
        resolution = resolver.resolve(government.raw_name or government.name, government.raw_country)
        stored_results.write(kind(government.pk), inputs_of(government, key), _stored(resolution))
        done += 1
    return done


@task()
def refresh_review_candidates(government_id: int | None = None) -> dict:
    return {"stored": compute(None if government_id is None else [government_id])}


def stored_candidates(government) -> stored_results.Stored:
    """The stored candidates of this local government (see stored_results.read)."""
    return stored_results.read(kind(government.pk), inputs_of(government), refresh_review_candidates,
                               government.pk)


def queue_changed() -> None:
    """Recompute the whole review queue once the current transaction commits."""
    stored_results.refresh_after_commit(refresh_review_candidates, None)
