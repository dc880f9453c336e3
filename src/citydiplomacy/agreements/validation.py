"""The checks every agreements write makes before it saves: who may edit an organisation's
records (`require_edit`), compare-and-swap on `version` (`compare_and_swap`), dates given as
text (`parse_date`), cooperation areas, and an agreement's own consistency (instrument and
partner, the order of its dates: `validate_agreement`). Used by services, transitions and the
import of historical relations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements.errors import StaleVersion
from citydiplomacy.agreements.lifecycle import Instrument
from citydiplomacy.agreements.models import Agreement, CooperationArea, Renewal
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment


def today() -> dt.date:
    return timezone.localdate()


def require_edit(actor, organisation_id: int | None) -> None:
    if actor is not None and not permissions.can_edit_organisation(actor, organisation_id):
        raise PermissionDenied(_("Only officers and administrators of this organisation may change its agreements."))


def acting_organisation(actor, organisation: LocalGovernment | None, refusal: str) -> LocalGovernment:
    """The organisation a new record is for (given, else the actor's own), once the actor may
    edit its records; PermissionDenied with `refusal` when there is none."""
    organisation = organisation or getattr(actor, "organisation", None)
    if organisation is None:
        raise PermissionDenied(refusal)
    require_edit(actor, organisation.pk)
    return organisation


def refuse_unknown_fields(data, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def compare_and_swap(model, pk: int, version: Any) -> None:
    """Claim the next version atomically (UPDATE ... WHERE version = n) or raise StaleVersion."""
    if version in (None, ""):
        raise ValidationError({"version": _("Send the version you edited (optimistic locking).")})
    try:
        version = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("The version must be a whole number.")}) from exc
    if model.objects.filter(pk=pk, version=version).update(version=version + 1) != 1:
        raise StaleVersion(model.objects.filter(pk=pk).values_list("version", flat=True).first() or 0)


def validate_areas(areas) -> list[str]:
    areas = list(areas or [])
    unknown = [a for a in areas if a not in CooperationArea.values]
    if unknown:
        raise ValidationError({"areas": _("Unknown cooperation areas: %(areas)s") % {"areas": ", ".join(map(str, unknown))}})
    return sorted(set(areas), key=CooperationArea.values.index)


DATE_ORDER = [  # (earlier, later, message): marked at definition so makemessages extracts them
    ("council_decision_on", "council_decision_final_on",
     gettext_lazy("The council decision cannot become final before it is taken.")),
    ("permission_requested_on", "permission_decided_on",
     gettext_lazy("The permission cannot be decided before it is requested.")),
    ("council_decision_on", "signed_on",
     gettext_lazy("The agreement cannot be signed before the council decision.")),
    ("signed_on", "effective_on", gettext_lazy("The effective date cannot be before the signing date.")),
    ("effective_on", "expires_on", gettext_lazy("The expiry date must be after the effective date.")),
    ("signed_on", "expires_on", gettext_lazy("The expiry date must be after the signing date.")),
    ("signed_on", "ended_on", gettext_lazy("The end date cannot be before the signing date.")),
]


def validate_agreement(agreement: Agreement) -> None:
    errors: dict[str, list[str]] = {}
    if agreement.instrument not in Instrument.values:
        errors["instrument"] = [_("Unknown instrument.")]
    if not (agreement.title or "").strip():
        errors["title"] = [_("A title is required.")]
    if bool(agreement.partner_id) == bool(agreement.partner_organisation_id):
        errors["partner"] = [_("Give exactly one partner: a local government, or an international organisation for a membership.")]
    elif agreement.instrument == Instrument.MEMBERSHIP and not agreement.partner_organisation_id:
        errors["partner_organisation"] = [_("A membership is held in an international organisation.")]
    elif agreement.instrument != Instrument.MEMBERSHIP and agreement.partner_organisation_id:
        errors["partner"] = [_("Only a membership has an international organisation as partner.")]
    if agreement.partner_id and agreement.partner_id == agreement.organisation_id:
        errors["partner"] = [_("An organisation cannot make an agreement with itself.")]
    if (agreement.instrument == Instrument.TWINNING
            and agreement.organisation.kind == GovernmentKind.SPECIAL_PROVINCIAL_ADMINISTRATION):
        errors["instrument"] = [_("A special provincial administration cannot hold a twinning "
                                  "(rule law5393.special_provincial_administration_twinning).")]
    if agreement.renewal not in Renewal.values:
        errors["renewal"] = [_("Unknown renewal kind.")]
    for earlier, later, message in DATE_ORDER:
        a, b = getattr(agreement, earlier), getattr(agreement, later)
        if a and b and b < a:
            errors.setdefault(later, []).append(str(message))
    if errors:
        raise ValidationError(errors)


def parse_date(value, field_name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field_name: _("Give a date as YYYY-MM-DD.")}) from exc

