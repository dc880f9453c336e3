"""Writes of the analytics app: annual self-assessments and partner acknowledgements.
Permission is checked here again (officers and admins of the agreement's organisation)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.analytics.models import (
    Acknowledgement,
    PartnerAcknowledgement,
    Principle,
    SelfAssessment,
)


def _require_edit(actor, agreement) -> None:
    if not permissions.can_edit_organisation(actor, agreement.organisation_id):
        raise PermissionDenied(_("Only officers and administrators of the organisation may do this."))


@transaction.atomic
def save_self_assessment(agreement, *, actor, data) -> SelfAssessment:
    """Scores 1–5 (or blank) and evidence per principle for one year; re-saving replaces."""
    _require_edit(actor, agreement)
    try:
        year = int(data.get("year") or timezone.localdate().year)
    except ValueError as exc:
        raise ValidationError(_("The year must be a number.")) from exc
    if not 1900 <= year <= timezone.localdate().year + 1:
        raise ValidationError(_("The year is out of range."))
    scores, evidence = {}, {}
    for principle in Principle:
        raw = (data.get(f"score_{principle.value}") or "").strip()
        if raw:
            if raw not in {"1", "2", "3", "4", "5"}:
                raise ValidationError(_("Scores are whole numbers from 1 to 5."))
            scores[principle.value] = int(raw)
        text = (data.get(f"evidence_{principle.value}") or "").strip()
        if text:
            evidence[principle.value] = text[:5000]
    if not scores:
        raise ValidationError(_("Score at least one principle."))
    assessment, _created = SelfAssessment.objects.update_or_create(
        agreement=agreement, year=year,
        defaults={"scores": scores, "evidence": evidence, "assessed_by": actor})
    return assessment


@transaction.atomic
def record_acknowledgement(agreement, *, actor, data) -> PartnerAcknowledgement:
    _require_edit(actor, agreement)
    status = (data.get("status") or "").strip()
    if status not in Acknowledgement.values:
        raise ValidationError(_("Choose confirmed, not confirmed or denied."))
    stated_on = None
    if data.get("stated_on"):
        try:
            stated_on = dt.date.fromisoformat(str(data["stated_on"]))
        except ValueError as exc:
            raise ValidationError(_("Enter the date as YYYY-MM-DD.")) from exc
        if stated_on > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
    source = (data.get("source") or "").strip()
    if status != Acknowledgement.NOT_CONFIRMED and not source:
        raise ValidationError(_("Say where the partner confirmed or denied the tie (source)."))
    return PartnerAcknowledgement.objects.create(
        agreement=agreement, status=status, stated_on=stated_on, source=source[:500],
        note=(data.get("note") or "").strip(), recorded_by=actor)
