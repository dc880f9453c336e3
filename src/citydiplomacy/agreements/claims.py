"""Reported ties to claim or dispute: the world twin-town list's ties of an organisation.

The world list (places.ReportedTie) names towns, not councils. A tie it reports for a town that
is an organisation here (Bursa → Bursa Büyükşehir Belediyesi) is offered to that organisation:
"we have this tie" creates an agreement record flagged as imported with its steps not recorded,
"we dispute it" records why. Nothing is claimed automatically; each answer is recorded once, with
who gave it.

A town of the list stands for an organisation when it is the organisation's own record, or a
Turkish local government outside the official registry whose name is the organisation's name
without "Büyükşehir Belediyesi" / "Belediyesi" and which lies within 50 km of it (or, without a
position, whose name no other Turkish municipality bears).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import Agreement, AgreementEvent, ReportedTieDecision
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.distance import km_between
from citydiplomacy.places.models import ReportedTie
from citydiplomacy.places.normalize import fold

NEARBY_KM = 50.0
_SUFFIXES = ("buyuksehir belediyesi", "belediyesi", "il ozel idaresi")
CLAIM_NOTE = gettext_lazy("Claimed from the world twin-town list (%(source)s); steps not recorded.")


def base_name(government: LocalGovernment) -> str:
    """'Çankaya Belediyesi' → 'cankaya': the town a Turkish council is named after."""
    key = fold(government.name)
    for suffix in _SUFFIXES:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1]
    return key


def counterparts(organisation: LocalGovernment) -> list[LocalGovernment]:
    """The organisation's own record and the towns of the world list that stand for it."""
    found = [organisation]
    if organisation.country_code != "TR":
        return found
    name = base_name(organisation)
    namesakes = [lg for lg in LocalGovernment.objects.filter(country_code="TR").exclude(
        official_code="") if base_name(lg) == name]
    candidates = LocalGovernment.objects.filter(country_code="TR", official_code="").exclude(
        pk=organisation.pk).only("pk", "name", "latitude", "longitude", "country_code")
    for town in candidates:
        if fold(town.name) != name:
            continue
        distance = km_between(organisation, town)
        if distance is not None and distance <= NEARBY_KM or distance is None and len(namesakes) == 1:
            found.append(town)
    return found


@dataclass(frozen=True)
class OfferedTie:
    tie: ReportedTie
    partner: LocalGovernment


def ties_to_claim(organisation: LocalGovernment) -> list[OfferedTie]:
    """Reported ties of the organisation not yet answered and not already in its registry."""
    ours = counterparts(organisation)
    own_ids = {lg.pk for lg in ours}
    answered = set(ReportedTieDecision.objects.filter(organisation=organisation)
                   .values_list("tie_id", flat=True))
    registered = set(Agreement.objects.filter(organisation=organisation, partner__isnull=False)
                     .values_list("partner_id", flat=True))
    ties = (ReportedTie.objects.filter(Q(low_id__in=own_ids) | Q(high_id__in=own_ids))
            .select_related("low", "high").order_by("id"))
    offered: list[OfferedTie] = []
    seen_partners: set[int] = set()
    for tie in ties:
        partner = tie.high if tie.low_id in own_ids else tie.low
        if (tie.pk in answered or partner.pk in own_ids or partner.pk in registered
                or partner.pk in seen_partners):
            continue
        seen_partners.add(partner.pk)
        offered.append(OfferedTie(tie=tie, partner=partner))
    offered.sort(key=lambda item: (item.partner.country_code, fold(item.partner.name)))
    return offered


def _offered(organisation: LocalGovernment, tie_id: int) -> OfferedTie:
    for item in ties_to_claim(organisation):
        if item.tie.pk == tie_id:
            return item
    raise ValidationError(_("This tie is not offered to your organisation, or it was answered already."))


@transaction.atomic
def claim_tie(*, actor, organisation: LocalGovernment, tie_id: int) -> Agreement:
    """"We have this tie": an agreement record, imported with its steps not recorded."""
    if not permissions.can_edit_organisation(actor, organisation.pk):
        raise PermissionDenied(_("Only officers and administrators may claim ties."))
    item = _offered(organisation, tie_id)
    note = CLAIM_NOTE % {"source": item.tie.source}
    agreement = Agreement.objects.create(
        organisation=organisation, partner=item.partner, instrument=Instrument.TWINNING,
        state=State.ACTIVE, title=f"{organisation.name} – {item.partner.name}: "
        f"{Instrument.TWINNING.label}", notes=note, source=item.tie.source, is_imported=True,
        created_by=actor,
    )
    AgreementEvent.objects.create(
        agreement=agreement, kind=AgreementEvent.Kind.IMPORTED, from_state="",
        to_state=State.ACTIVE, occurred_on=None, actor=actor, reason=note,
        reference=item.tie.source[:200],
    )
    ReportedTieDecision.objects.create(
        organisation=organisation, tie=item.tie, decision=ReportedTieDecision.Decision.CLAIMED,
        agreement=agreement, decided_by=actor,
    )
    return agreement


@transaction.atomic
def dispute_tie(*, actor, organisation: LocalGovernment, tie_id: int, reason: str) -> ReportedTieDecision:
    """"We dispute this tie", with the reason; the tie is no longer offered."""
    if not permissions.can_edit_organisation(actor, organisation.pk):
        raise PermissionDenied(_("Only officers and administrators may dispute ties."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the tie is disputed.")})
    item = _offered(organisation, tie_id)
    return ReportedTieDecision.objects.create(
        organisation=organisation, tie=item.tie, decision=ReportedTieDecision.Decision.DISPUTED,
        reason=reason, decided_by=actor,
    )
