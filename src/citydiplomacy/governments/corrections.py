"""Corrections of a local government's identity: proposed by those who may edit or steward the
record, decided (accepted or rejected) by a registry steward, with history.

The identity (models.IDENTITY_FIELDS: country, GeoNames id, kind, parent, region, coordinates)
is what the lifecycle and policy rules decide on, so nobody edits it directly
(services.update_local_government refuses). Who may propose and who may decide is asked of
accounts.permissions. Accepting a correction re-runs the policy check on every tie in force
with that local government, so that ties which no longer pass are flagged for review.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.governments import services
from citydiplomacy.governments.models import IDENTITY_FIELDS, IdentityCorrection, LocalGovernment


def _json_value(field: str, value: Any) -> Any:
    if field == "parent":
        return getattr(value, "pk", value)
    if field == "country_code":
        return (value or "").strip().upper()
    return value


def _model_values(values: dict[str, Any]) -> dict[str, Any]:
    """Proposed values as the model takes them (the parent as a record)."""
    result = dict(values)
    if result.get("parent") is not None:
        parent = LocalGovernment.objects.filter(pk=result["parent"]).first()
        if parent is None:
            raise ValidationError({"parent": [_("No such local government.")]})
        result["parent"] = parent
    return result


def _cleaned(government: LocalGovernment, values: dict[str, Any]) -> dict[str, Any]:
    """The values as the record would hold them, if it is valid with them (validated on a
    copy; nothing stored)."""
    copy = LocalGovernment.objects.get(pk=government.pk)
    services._apply(copy, _model_values(values))
    return {field: services.identity_value(copy, field) for field in values}


@transaction.atomic
def propose_correction(government: LocalGovernment, *, actor, changes: dict[str, Any],
                       reason: str) -> IdentityCorrection:
    if not permissions.can_propose_registry_correction(actor, government):
        raise PermissionDenied(_("You may not propose corrections to this record."))
    unknown = sorted(set(changes) - set(IDENTITY_FIELDS))
    if unknown:
        raise ValidationError(_("Only the identity can be corrected here (country, GeoNames id, "
                                "kind, parent, region, coordinates); not: %(fields)s") % {
                                    "fields": ", ".join(unknown)})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the record should be corrected (and your source).")]})
    proposed = {field: _json_value(field, value) for field, value in changes.items()}
    proposed = _cleaned(government, proposed)
    proposed = services.changed_identity(government, proposed)
    if not proposed:
        raise ValidationError(_("The proposal changes nothing: the record already holds these values."))
    previous = {field: services.identity_value(government, field) for field in proposed}
    return IdentityCorrection.objects.create(
        government=government, proposed=proposed, previous=previous, reason=reason.strip(),
        proposed_by=actor)


def _claim(correction: IdentityCorrection, actor) -> IdentityCorrection:
    correction = IdentityCorrection.objects.select_for_update().select_related("government").get(
        pk=correction.pk)
    if not permissions.can_steward_registry_record(actor, correction.government):
        raise PermissionDenied(_("Only a registry steward decides corrections of this record: "
                                 "national oversight, or the administrator of the organisation "
                                 "the record belongs to."))
    if correction.state != IdentityCorrection.State.OPEN:
        raise ValidationError(_("This proposal has already been decided."))
    return correction


def _decide(correction: IdentityCorrection, actor, state: str, note: str) -> None:
    correction.state = state
    correction.decided_by = actor
    correction.decided_at = timezone.now()
    correction.decision_note = (note or "").strip()
    correction.save()


@transaction.atomic
def accept_correction(correction: IdentityCorrection, *, actor, note: str = "") -> dict[str, int]:
    """Apply the proposed identity, then re-run the policy check on the ties in force with it.
    Answers how many ties in force were checked and how many are now flagged for review."""
    correction = _claim(correction, actor)
    government = LocalGovernment.objects.select_for_update().get(pk=correction.government_id)
    current = {field: services.identity_value(government, field) for field in correction.previous}
    if current != correction.previous:
        raise ValidationError(_("The record has changed since this proposal was made; reject it "
                                "and propose the correction again."))
    services._apply(government, _model_values(correction.proposed))
    government.save()
    correction.recheck = recheck_ties_of(government)
    _decide(correction, actor, IdentityCorrection.State.ACCEPTED, note)
    return correction.recheck


@transaction.atomic
def reject_correction(correction: IdentityCorrection, *, actor, note: str = "") -> IdentityCorrection:
    correction = _claim(correction, actor)
    _decide(correction, actor, IdentityCorrection.State.REJECTED, note)
    return correction


# Checks of the ties held with a local government whose identity changed. The agreements app,
# which builds on this one, registers its check (agreements/identity_recheck.py, from
# AgreementsConfig.ready), so that governments imports nothing of it.
_TIE_CHECKS: list[Callable[[LocalGovernment], dict[str, Any]]] = []


def register_tie_check(check: Callable[[LocalGovernment], dict[str, Any]]):
    """Register `check(government) -> {"flagged", "checked", "failing_steps"}`; answers it."""
    if check not in _TIE_CHECKS:
        _TIE_CHECKS.append(check)
    return check


def recheck_ties_of(government: LocalGovernment) -> dict[str, Any]:
    """Re-run the registered checks on every tie held with this local government (the policy
    check of the ties in force and the recorded steps that would not pass on the identity it has
    now, agreements/identity_recheck.py) and add up what they found."""
    found: dict[str, Any] = {"flagged": 0, "checked": 0, "failing_steps": []}
    for check in _TIE_CHECKS:
        result = check(government)
        found = {"flagged": found["flagged"] + result["flagged"],
                 "checked": found["checked"] + result["checked"],
                 "failing_steps": found["failing_steps"] + result["failing_steps"]}
    return found
