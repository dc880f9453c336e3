"""Attaching Wikidata ids to an organisation's partners from a Wikidata Query Service export
(read by analytics/wdqs.py), without a network. The rules, in order:

1. An item whose GeoNames id (P1566) is a partner's GeoNames id is that partner: attached.
2. Otherwise an item whose label, folded with the project's one name folding
   (places.normalize.fold), is one of a partner's names is a candidate for it, unless the
   export gives another country or the two are more than FAR_KM apart. A candidate is attached
   when it is the only one, the export gives the same country and the two are at most NEAR_KM
   apart; every other candidate waits for a person to confirm or reject it.
3. The file is refused, and nothing stored changes, when an item would go to a partner that
   already has another id, when its id is already stored on another local government, or when
   two items would both be attached to one partner.

Every attachment, confirmation and rejection is a WikidataMatch with who and when, and the
history of it and of the partner's record (simple_history).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.analytics.geo import coordinates
from citydiplomacy.analytics.wdqs import ExportRow, read_export
from citydiplomacy.governments.models import LocalGovernment, WikidataMatch
from citydiplomacy.places.distance import great_circle_km
from citydiplomacy.places.normalize import fold

NEAR_KM = 10.0  # a city's item and its GeoNames point are within a few km
FAR_KM = 50.0  # beyond this a namesake is another place, not a candidate
SAME_COUNTRY = {"XC": "CY"}  # GeoNames and Wikidata file Northern Cyprus under CY


@dataclass
class Item:
    """The rows of one Wikidata item (a WDQS export repeats an item per coordinate or id)."""

    qid: str
    lines: list[int] = field(default_factory=list)
    geonameids: set[int] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class Proposal:
    item: Item
    partner: LocalGovernment
    method: str
    distance_km: float | None = None
    doubts: list[str] = field(default_factory=list)  # WikidataMatch.DOUBTS codes

    @property
    def label(self) -> str:
        return min(self.item.labels, default="")


def _items(rows: list[ExportRow]) -> list[Item]:
    items: dict[str, Item] = {}
    for row in rows:
        item = items.setdefault(row.qid, Item(row.qid))
        item.lines.append(row.line)
        if row.geonameid:
            item.geonameids.add(row.geonameid)
        if row.label:
            item.labels.add(row.label)
        if row.country:
            item.countries.add(SAME_COUNTRY.get(row.country, row.country))
        if row.point:
            item.points.append(row.point)
    return list(items.values())


def _distance(item: Item, partner: LocalGovernment) -> float | None:
    place = coordinates(partner)
    if place is None or not item.points:
        return None
    return min(great_circle_km(place[0], place[1], lat, lon) for lat, lon in item.points)


def _label_proposals(item: Item, partners_by_name: dict[str, list[LocalGovernment]]) -> tuple[list[Proposal], str]:
    """Candidates for an item by folded label, country and distance; or why there are none."""
    found = {p.pk: p for label in item.labels for p in partners_by_name.get(fold(label), [])}
    proposals, why_not = [], _("no partner has this GeoNames id or name")
    for partner in found.values():
        country = SAME_COUNTRY.get(partner.country_code, partner.country_code)
        if item.countries and country and country not in item.countries:
            why_not = _("a partner of this name is in another country")
            continue
        km = _distance(item, partner)
        if km is not None and km > FAR_KM:
            why_not = _("a partner of this name is %(km)s km away") % {"km": round(km)}
            continue
        doubts = []
        if not item.countries or not country:
            doubts.append("no_country")
        if km is None:
            doubts.append("no_coordinates")
        elif km > NEAR_KM:
            doubts.append("far")
        proposals.append(Proposal(item, partner, WikidataMatch.Method.LABEL, km, doubts))
    if len(proposals) > 1:
        for proposal in proposals:
            proposal.doubts.append("namesakes")
    return proposals, why_not


def plan(organisation: LocalGovernment, rows: list[ExportRow]) -> dict:
    """What an export would do for the organisation's partners: {"sure": [Proposal],
    "uncertain": [Proposal], "already": [Proposal], "unmatched": [(Item, reason)]}. Raises
    ValidationError naming the lines when an id conflicts with one already stored."""
    partners = list(LocalGovernment.objects.filter(partner_agreements__organisation=organisation)
                    .exclude(pk=organisation.pk).distinct())
    by_geonameid = {p.geonameid: p for p in partners if p.geonameid}
    by_name: dict[str, list[LocalGovernment]] = {}
    for partner in partners:
        for name in {fold(n) for n in (partner.name, partner.official_name, partner.raw_name) if n}:
            by_name.setdefault(name, []).append(partner)
    result: dict[str, list] = {"sure": [], "uncertain": [], "already": [], "unmatched": []}
    for item in _items(rows):
        by_id = {by_geonameid[g].pk: by_geonameid[g] for g in item.geonameids if g in by_geonameid}
        if by_id:
            proposals = [Proposal(item, p, WikidataMatch.Method.GEONAMES, _distance(item, p)) for p in by_id.values()]
        else:
            proposals, why_not = _label_proposals(item, by_name)
            if not proposals:
                result["unmatched"].append((item, why_not))
                continue
        for proposal in proposals:
            if proposal.partner.wikidata_id == item.qid:
                result["already"].append(proposal)
            elif proposal.method == WikidataMatch.Method.GEONAMES or (
                    len(proposals) == 1 and not proposal.doubts):
                result["sure"].append(proposal)
            else:
                result["uncertain"].append(proposal)
    _refuse_conflicts(result)
    return result


def _lines(item: Item) -> str:
    return ", ".join(str(n) for n in item.lines)


def _refuse_conflicts(result: dict) -> None:
    problems = []
    proposals = result["sure"] + result["uncertain"]
    stored = dict(LocalGovernment.objects.filter(wikidata_id__in={p.item.qid for p in proposals})
                  .values_list("wikidata_id", "name"))
    sure_for: dict[int, Proposal] = {}
    for p in proposals:
        if p.partner.wikidata_id:
            problems.append(_("line %(lines)s: %(name)s already has the Wikidata id %(stored)s, not %(qid)s") % {
                "lines": _lines(p.item), "name": p.partner.name, "stored": p.partner.wikidata_id, "qid": p.item.qid})
        elif p.item.qid in stored:
            problems.append(_("line %(lines)s: %(qid)s is already the Wikidata id of %(other)s, not of %(name)s") % {
                "lines": _lines(p.item), "qid": p.item.qid, "other": stored[p.item.qid], "name": p.partner.name})
        if p in result["sure"]:
            if p.partner.pk in sure_for and sure_for[p.partner.pk].item.qid != p.item.qid:
                problems.append(_("lines %(a)s and %(b)s: two items (%(q1)s, %(q2)s) for %(name)s") % {
                    "a": _lines(sure_for[p.partner.pk].item), "b": _lines(p.item),
                    "q1": sure_for[p.partner.pk].item.qid, "q2": p.item.qid, "name": p.partner.name})
            sure_for[p.partner.pk] = p
    if problems:
        raise ValidationError(_("Nothing was changed: the export conflicts with the Wikidata ids "
                                "already stored. %(problems)s.") % {"problems": "; ".join(problems[:10])})


@transaction.atomic
def import_export(*, actor, organisation: LocalGovernment, data: bytes) -> dict:
    """Read, check and apply an uploaded WDQS export for the organisation's partners: sure
    matches are attached, uncertain ones wait for confirmation. Returns the plan with counts."""
    if not permissions.can_reconcile_wikidata(actor, organisation.pk):
        raise PermissionDenied(_("Only the organisation's officers and administrators may attach Wikidata ids."))
    result = plan(organisation, read_export(data))
    now = timezone.now()
    editable = [p for p in result["sure"] + result["uncertain"]
                if permissions.can_edit_registry_record(actor, p.partner)]
    result["not_yours"] = [p for p in result["sure"] + result["uncertain"] if p not in editable]
    result["attached"], result["waiting"], result["rejected_before"] = [], [], []
    for p in editable:
        sure = p in result["sure"]
        match = WikidataMatch.objects.filter(organisation=organisation, government=p.partner,
                                             wikidata_id=p.item.qid).first()
        if match is None:
            match = WikidataMatch(organisation=organisation, government=p.partner, wikidata_id=p.item.qid,
                                  proposed_by=actor)
        elif match.state == WikidataMatch.State.REJECTED and not sure:
            result["rejected_before"].append(match)
            continue
        match.label, match.geonameid = p.label[:300], min(p.item.geonameids, default=None)
        match.distance_km, match.doubts, match.method = p.distance_km, list(p.doubts), p.method
        if sure:
            match.state, match.decided_by, match.decided_at = WikidataMatch.State.ATTACHED, actor, now
            _set_id(actor, p.partner, p.item.qid)
            result["attached"].append(match)
        else:
            match.state, match.decided_by, match.decided_at = WikidataMatch.State.PENDING, None, None
            result["waiting"].append(match)
        match._history_user = actor
        match.save()
    return result


def _set_id(actor, government: LocalGovernment, qid: str) -> None:
    government.wikidata_id = qid
    government._history_user = actor
    government.save()


@transaction.atomic
def decide(*, actor, match: WikidataMatch, confirm: bool) -> WikidataMatch:
    """A person confirms (the partner gets the id) or rejects an uncertain match; the other
    waiting matches for that partner are rejected with it when one is confirmed."""
    match = WikidataMatch.objects.select_for_update().select_related("government").get(pk=match.pk)
    if not (permissions.can_reconcile_wikidata(actor, match.organisation_id)
            and permissions.can_edit_registry_record(actor, match.government)):
        raise PermissionDenied(_("Only the organisation's officers and administrators may confirm Wikidata matches."))
    if match.state != WikidataMatch.State.PENDING:
        raise ValidationError(_("This match was already decided (%(state)s).") % {"state": match.get_state_display()})
    now = timezone.now()
    if confirm:
        government = match.government
        if government.wikidata_id and government.wikidata_id != match.wikidata_id:
            raise ValidationError(_("%(name)s already has the Wikidata id %(stored)s; nothing was changed.") % {
                "name": government.name, "stored": government.wikidata_id})
        other = LocalGovernment.objects.filter(wikidata_id=match.wikidata_id).exclude(pk=government.pk).first()
        if other is not None:
            raise ValidationError(_("%(qid)s is already the Wikidata id of %(other)s; nothing was changed.") % {
                "qid": match.wikidata_id, "other": other.name})
        _set_id(actor, government, match.wikidata_id)
        for rival in WikidataMatch.objects.filter(government=government, state=WikidataMatch.State.PENDING).exclude(pk=match.pk):
            rival.state, rival.decided_by, rival.decided_at = WikidataMatch.State.REJECTED, actor, now
            rival._history_user = actor
            rival.save()
    match.state = WikidataMatch.State.CONFIRMED if confirm else WikidataMatch.State.REJECTED
    match.decided_by, match.decided_at = actor, now
    match._history_user = actor
    match.save()
    return match


def matches_for_page(organisation: LocalGovernment) -> dict:
    """The organisation's waiting matches, and its latest decisions with who and when."""
    matches = WikidataMatch.objects.filter(organisation=organisation).select_related(
        "government", "proposed_by", "decided_by")
    return {"pending": list(matches.filter(state=WikidataMatch.State.PENDING).order_by("government__name")),
            "decided": list(matches.exclude(state=WikidataMatch.State.PENDING).order_by("-decided_at", "-id")[:30])}
