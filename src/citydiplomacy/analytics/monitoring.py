"""Monitoring of ties: an agreement's activity-based health score (recency, frequency,
breadth of cooperation areas, follow-through; 0–100 with the reason for each part) and the
oversight's compliance audit (ties in force without a recorded council decision or ministry
permission, with partners under a blocking policy status, or dormant — by kind of
municipality)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements import selectors as agreement_selectors
from citydiplomacy.agreements.models import Activity, Agreement
from citydiplomacy.agreements.partner_country import is_foreign
from citydiplomacy.agreements.rules import dormancy_cutoff, dormancy_years, is_dormant
from citydiplomacy.analytics.selectors import agreement_url, today
from citydiplomacy.governments.models import GovernmentKind


@dataclass
class Health:
    score: int | None
    parts: list[tuple[str, float, str]]  # (label, 0..1, explanation)
    dormant: bool
    last_activity: dt.date | None


WEIGHTS = {"recency": 0.35, "frequency": 0.25, "breadth": 0.2, "follow_through": 0.2}


def health_of(agreement: Agreement, *, on: dt.date | None = None,
              activities: list[Activity] | None = None) -> Health:
    """Activity-based health: recency, frequency, breadth of areas, follow-through (0–100)."""
    on = on or today()
    years = dormancy_years()
    window_start = dormancy_cutoff(on)
    if activities is None:
        activities = list(agreement.activities.filter(archived_at__isnull=True))
    held = [a for a in activities if a.status == Activity.Status.HELD and a.starts_on <= on]
    recent = [a for a in held if a.starts_on >= window_start]
    due = [a for a in activities if a.starts_on <= on and a.starts_on >= window_start]
    last = max((a.starts_on for a in held), default=None)
    if agreement.state not in lifecycle.IN_FORCE:
        return Health(None, [], False, last)
    if last is None:
        recency, why_r = 0.0, _("no held activity recorded")
    else:
        age = (on - last).days / 365.25
        recency = max(0.0, min(1.0, 1 - (age - 1) / (years - 1))) if years > 1 else float(age <= 1)
        why_r = _("last held activity on %(date)s") % {"date": last.isoformat()}
    frequency = min(1.0, len(recent) / (2 * years))
    why_f = _("%(n)d held activities in the last %(years)d years (target: 2 a year)") % {
        "n": len(recent), "years": years}
    # the agreement's own cooperation areas and those of its recent held activities
    areas = set(agreement.areas or []) | {a.area for a in recent if a.area}
    breadth = min(1.0, len(areas) / 3)
    why_b = _("%(n)d cooperation areas (target: 3)") % {"n": len(areas)}
    planned = [a for a in due if a.status in (Activity.Status.HELD, Activity.Status.CANCELLED,
                                              Activity.Status.PLANNED)]
    if planned:
        follow = sum(1 for a in planned if a.status == Activity.Status.HELD) / len(planned)
        why_t = _("%(held)d of %(all)d activities due were held") % {
            "held": sum(1 for a in planned if a.status == Activity.Status.HELD), "all": len(planned)}
    else:
        follow, why_t = 0.0, _("no activity was due")
    values = {"recency": recency, "frequency": frequency, "breadth": breadth, "follow_through": follow}
    score = round(100 * sum(WEIGHTS[k] * v for k, v in values.items()))
    labels = {"recency": _("Recency"), "frequency": _("Frequency"), "breadth": _("Breadth"),
              "follow_through": _("Follow-through")}
    whys = {"recency": why_r, "frequency": why_f, "breadth": why_b, "follow_through": why_t}
    dormant = is_dormant(agreement.state, started_on=agreement.effective_on or agreement.signed_on,
                         last_activity=last, day=on)
    return Health(score, [(labels[k], round(values[k], 2), whys[k]) for k in WEIGHTS], dormant, last)


# --- compliance (oversight) ----------------------------------------------------------------
KIND_GROUPS = {
    GovernmentKind.METROPOLITAN_MUNICIPALITY: "metropolitan",
    GovernmentKind.DISTRICT_MUNICIPALITY: "district",
    GovernmentKind.SPECIAL_PROVINCIAL_ADMINISTRATION: "provincial",
    GovernmentKind.PROVINCE: "provincial",
}


def group_label(group: str) -> str:
    return {"metropolitan": _("Metropolitan municipalities"), "district": _("District municipalities"),
            "provincial": _("Provincial administrations"), "other": _("Other municipalities")}[group]


def compliance(user, *, on: dt.date | None = None) -> dict:
    """Ties in force (or ended) with no recorded council decision or ministry permission,
    ties with partners in frozen / no-relations countries, dormant ties — by kind of
    municipality. Imported records are marked: their steps were not recorded."""

    on = on or today()
    rows = agreement_selectors.agreement_rows(user, as_of=None if on == today() else on)
    findings = []
    totals: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        agreement = row.agreement
        if row.state not in lifecycle.IN_FORCE:
            continue
        group = KIND_GROUPS.get(agreement.organisation.kind, "other")
        issues = []
        if lifecycle.needs_council_decision(agreement.instrument) and not agreement.council_decision_on:
            issues.append(("no_council_decision", _("no council decision recorded")))
        if lifecycle.needs_ministry_permission(agreement.instrument, foreign=is_foreign(agreement),
                                               operative=agreement.operative_commitments) \
                and agreement.permission_granted is not True:
            issues.append(("no_ministry_permission", _("no ministry permission recorded")))
        if "needs_review" in row.flags:  # policy.rules: in force under a blocking status
            issues.append(("blocked_country", _("partner in a country with status “%(status)s”") % {
                "status": row.relation.status}))
        if "dormant" in row.flags:
            issues.append(("dormant", _("dormant: no held activity in %(years)d years") % {
                "years": dormancy_years()}))
        totals[group]["ties"] += 1
        for code, _label in issues:
            totals[group][code] += 1
        if issues:
            findings.append({"agreement": agreement, "group": group, "issues": issues,
                             "imported": agreement.is_imported, "url": agreement_url(agreement.pk)})
    groups = [{"group": g, "label": group_label(g), **{k: totals[g][k] for k in (
        "ties", "no_council_decision", "no_ministry_permission", "blocked_country", "dormant")}}
        for g in ("metropolitan", "district", "provincial", "other") if totals[g]["ties"]]
    return {"on": on, "findings": findings, "groups": groups}
