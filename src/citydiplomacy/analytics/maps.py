"""An organisation's map of ties: each tie a row with its partner's place and its state
history (`map_rows`; the browser derives the state "as of" a date), the map document around
them (`map_data`, `organisation_map`), the columns it reads (`map_agreements`) and the map
page's table on a date (`map_table`). The public page's history reads the same table."""

from __future__ import annotations

import datetime as dt

from citydiplomacy.agreements import selectors as agreement_selectors
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.agreements.rules import state_at
from citydiplomacy.agreements.timeline import timelines_of
from citydiplomacy.analytics.geo import coordinates
from citydiplomacy.analytics.selectors import agreement_url_name, pk_url, today
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.countries import country_name


def _instrument_labels() -> dict[str, str]:
    """Each instrument's name in the active language."""
    return {i.value: str(i.label) for i in Instrument}


def map_rows(agreements: list[Agreement], *, public: bool = False) -> list[tuple[int, dict, bool]]:
    """(agreement id, its map row, placed on the map?) of each agreement, in their order."""
    timelines = timelines_of(agreements)
    url_of = None if public else pk_url(agreement_url_name())
    instruments = _instrument_labels()
    out = []
    for agreement in agreements:
        partner = agreement.partner
        place = coordinates(partner) if partner else None
        points = [[day.isoformat(), state] for day, state in timelines[agreement.pk]]
        row = {
            "id": agreement.pk, "partner": agreement.partner_name,
            "country": partner.country_code if partner else agreement.partner_organisation.country_code,
            "instrument": agreement.instrument, "instrument_label": instruments[agreement.instrument],
            "state": agreement.state, "timeline": points,
            "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else "",
            "url": "" if public else url_of(agreement.pk),
        }
        if place is not None:
            row["lat"], row["lng"] = round(place[0], 4), round(place[1], 4)
        out.append((agreement.pk, row, place is not None))
    return out


def map_document(organisation: LocalGovernment, rows: list[tuple[int, dict, bool]]) -> dict:
    """The map's data from its rows (`map_rows`): placed ties, unplaced ones, labels."""
    origin = coordinates(organisation)
    ties = [row for _pk, row, placed in rows if placed]
    unplaced = [row for _pk, row, placed in rows if not placed]
    return {
        "organisation": {"id": organisation.pk, "name": organisation.name,
                         "lat": origin[0] if origin else None, "lng": origin[1] if origin else None},
        "ties": ties, "unplaced": unplaced,
        "states": {s.value: str(s.label) for s in State},
        "instruments": _instrument_labels(),
        "first_year": min((int(p[0][:4]) for t in ties + unplaced for p in t["timeline"]), default=today().year),
        "today": today().isoformat(),
    }


def map_data(agreements: list[Agreement], organisation: LocalGovernment, *, public: bool = False) -> dict:
    """Partners as points with their state history (the browser derives the state "as of")."""
    return map_document(organisation, map_rows(agreements, public=public))


def organisation_map(user, organisation: LocalGovernment) -> tuple[dict, str]:
    """`map_data` of an organisation's ties and the same as a <script type="application/json">
    element (`organisation_for` checked the right to read the organisation)."""
    from django.utils.html import json_script

    data = map_data(map_agreements(user, organisation), organisation)
    return data, json_script(data, "map-data")


# what the map reads of an agreement and its partner (`geo.coordinates`, `timeline`)
MAP_COLUMNS = ("id", "organisation_id", "instrument", "state", "signed_on", "is_imported",
               *(f"partner__{f}" for f in ("id", "name", "official_name", "raw_name", "country_code",
                                           "latitude", "longitude", "geonameid")),
               "partner_organisation__id", "partner_organisation__name",
               "partner_organisation__country_code")


def map_agreements(user, organisation: LocalGovernment) -> list[Agreement]:
    """`organisation_agreements` for `map_data`: only the columns the map reads (events are
    read by `map_data` itself)."""
    return list(agreement_selectors.agreements_for(user).filter(organisation=organisation)
                .select_related(None).select_related("partner", "partner_organisation")
                .only(*MAP_COLUMNS))


def map_table(data: dict, as_of: dt.date) -> list[dict]:
    """The map page's table: every tie (placed or not) with its state on `as_of`, omitting
    ties that did not exist yet, with the link to its health score."""
    health_url = pk_url("analytics:agreement-health")
    rows = []
    for tie in data["ties"] + data["unplaced"]:
        state = state_at([(dt.date.fromisoformat(d), s) for d, s in tie["timeline"]], as_of)
        if state:
            rows.append({**tie, "state_as_of": state, "state_label": data["states"].get(state, state),
                         "country_label": country_name(tie["country"]),
                         "health_url": health_url(tie["id"])})
    return rows
