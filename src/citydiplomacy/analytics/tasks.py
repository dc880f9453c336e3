"""Background tasks of the analytics app (django-tasks, run by `db_worker`): the whole-network
statistics and the world network map, computed when the ties change and stored with
core/stored_results under the network fingerprint (`network_inputs.network_fingerprint`).

Services that change ties (imports, merges, a step into or out of force) call
`network_inputs_changed()`; a page that finds an older result, or inputs changed since the
task last looked, enqueues the same task (stored_results.read). The task reads the
fingerprint BEFORE it reads the ties: if they change while it computes, the result is stored
under the older key and the next reader asks for another run, so a result is never labelled
newer than its inputs. When the fingerprint is the one the stored results were computed
from (a draft, an activity, a step that leaves the ties as they were), the task only records
it and the stored results stand.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django_tasks import task

from citydiplomacy.core import stored_results

NETWORK = "network"
WORLD = "world"
TOTALS = "network-totals"  # cities and ties of the world network: the dashboard reads only these


def compute_network_results(fingerprint: str | None = None) -> dict:
    """Compute and store the network statistics and the world map (minutes at most; seconds
    for the demo's 26,000 ties) for the inputs of `fingerprint` (by default, the current
    ones). Answers the stored statistics."""
    from citydiplomacy.analytics import network_inputs, selectors
    from citydiplomacy.analytics.network import network_stats

    fingerprint = fingerprint or network_inputs.record_fingerprint()
    stats = network_stats(network_inputs.network_input(),
                          focus_ids=[o.pk for o in selectors.organisations_with_agreements()])
    stats["computed_at"] = timezone.now().isoformat(timespec="seconds")
    stats["fingerprint"] = fingerprint
    world = json.dumps(network_inputs.world_map_data(), cls=DjangoJSONEncoder).encode()
    # the map first: a reader that sees the new statistics finds the new map as well
    stored_results.write(WORLD, fingerprint, world)
    stored_results.write(NETWORK, fingerprint, stats)
    stored_results.write(TOTALS, fingerprint, {"nodes": stats["nodes"], "edges": stats["edges"]})
    return stats


@task()
def refresh_network_results() -> dict:
    from citydiplomacy.analytics import network_inputs

    fingerprint = network_inputs.record_fingerprint()
    held = {kind: stored_results.held(kind) or {} for kind in (WORLD, NETWORK, TOTALS)}
    if all(entry.get("inputs") == fingerprint for entry in held.values()):
        stats = held[NETWORK]["value"]  # the ties are as they were: the results stand
    else:
        stats = compute_network_results(fingerprint)
    return {"fingerprint": stats["fingerprint"], "nodes": stats["nodes"], "edges": stats["edges"]}


def network_inputs_changed() -> None:
    """Recompute the network results once the current transaction commits."""
    stored_results.refresh_after_commit(refresh_network_results)


def refresh_if_stale() -> None:
    """Enqueue the network task if its stored result is missing or older than the ties
    (the worker calls this when it starts)."""
    from citydiplomacy.analytics.network_inputs import network_fingerprint

    entry = stored_results.held(NETWORK)
    if entry is None or entry.get("inputs") != network_fingerprint():
        stored_results.request_refresh(refresh_network_results)
