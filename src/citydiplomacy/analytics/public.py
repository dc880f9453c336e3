"""The public transparency page's history: which of an organisation's public ties were in force
on a date, and which had ended by then (shown as ended, never left out). The state on a date
comes from each tie's recorded steps (`maps.map_table`), so the table and the map tell the
same history as the registry's "as of" view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from citydiplomacy.agreements.lifecycle import State

IN_FORCE = frozenset({State.ACTIVE})
ENDED = frozenset({State.TERMINATED, State.EXPIRED})
SUSPENDED = frozenset({State.SUSPENDED})


@dataclass
class PublicHistory:
    as_of: dt.date
    in_force: list[dict] = field(default_factory=list)
    suspended: list[dict] = field(default_factory=list)
    ended: list[dict] = field(default_factory=list)


def history_on(table_rows: list[dict], as_of: dt.date, *, year_only: set[int] = frozenset()) -> PublicHistory:
    """Split the map table's rows on `as_of` (each with `state_as_of`) into ties in force,
    suspended and ended; ties not yet signed on that date (or still in preparation) are left
    out, as the public record holds no drafts. `year_only`: ids of ties whose signing date
    is known to the year only (shown as the year, never as 1 January)."""
    history = PublicHistory(as_of=as_of)
    for row in table_rows:
        state = row["state_as_of"]
        row = {**row, "since": _since(row, state, as_of), "signed_year_only": row["id"] in year_only}
        if state in IN_FORCE:
            history.in_force.append(row)
        elif state in SUSPENDED:
            history.suspended.append(row)
        elif state in ENDED:
            history.ended.append(row)
    return history


def _since(row: dict, state: str, as_of: dt.date) -> str:
    """The day the tie took the state it has on `as_of` (for an ended tie: when it ended)."""
    since = ""
    for day, point_state in row["timeline"]:
        if day > as_of.isoformat():
            break
        if point_state != state:
            since = ""
        elif not since:
            since = day
    return since
