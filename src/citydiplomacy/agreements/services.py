"""Writes of the agreements registry's records: agreements (create a draft, edit with
compare-and-swap on `version`, archive — never delete — and their contacts), documents (type
and size checks, SHA-256, never overwritten), activities (create, edit, archive) and the
calendar feed token.

Beside them, each with its own job: lifecycle steps (`transitions.transition`), the import of
historical relations (`relations_import`), the checks every write makes (`validation`) and the
errors raised (`errors`: RuleViolation and StaleVersion, 409 in the API; Django's
ValidationError 400 and PermissionDenied 403).
"""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import (
    Activity,
    Agreement,
    AgreementEvent,
    CalendarFeed,
    Contact,
    CooperationArea,
    Document,
)
from citydiplomacy.agreements.rules import add_years
from citydiplomacy.agreements.uploads import check_upload
from citydiplomacy.agreements.validation import (
    acting_organisation,
    compare_and_swap,
    parse_date,
    refuse_unknown_fields,
    require_edit,
    today,
    validate_agreement,
    validate_areas,
)
from citydiplomacy.governments.models import LocalGovernment

# --- agreements ------------------------------------------------------------------------------
CREATE_FIELDS = {"instrument", "title", "partner", "partner_organisation", "areas", "notes",
                 "source", "operative_commitments", "signed_place", "term_years", "renewal"}
DRAFT_ONLY_FIELDS = {"instrument", "partner", "partner_organisation", "operative_commitments"}
EDIT_FIELDS = {"title", "areas", "notes", "source", "signed_place", "effective_on", "term_years",
               "expires_on", "renewal", "council_decision_final_on", "policy_clearance_reference",
               "contacts"} | DRAFT_ONLY_FIELDS


@transaction.atomic
def create_agreement(*, actor, organisation: LocalGovernment | None = None, **data) -> Agreement:
    """A new agreement in `draft` for the actor's organisation (officers and admins)."""
    organisation = acting_organisation(actor, organisation, _(
        "Only members of an organisation may create agreements."))
    refuse_unknown_fields(data, CREATE_FIELDS | {"contacts"})
    contacts = data.pop("contacts", None)
    data["areas"] = validate_areas(data.get("areas"))
    agreement = Agreement(organisation=organisation, created_by=actor, state=State.DRAFT, **data)
    validate_agreement(agreement)
    agreement.save()
    AgreementEvent.objects.create(agreement=agreement, kind=AgreementEvent.Kind.CREATED,
                                  from_state="", to_state=State.DRAFT, occurred_on=today(),
                                  actor=actor)
    if contacts:
        _replace_contacts(agreement, contacts)
    return agreement


@transaction.atomic
def update_agreement(agreement: Agreement, *, actor, version, **changes) -> Agreement:
    """Edit descriptive fields; refuses a stale `version` (StaleVersion) without writing."""
    require_edit(actor, agreement.organisation_id)
    unknown = set(changes) - EDIT_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s (dates of "
                                "decisions, permission and signing are set by transitions).")
                              % {"fields": ", ".join(sorted(unknown))})
    if agreement.archived_at:
        raise ValidationError(_("An archived agreement cannot be edited."))
    compare_and_swap(Agreement, agreement.pk, version)
    agreement = Agreement.objects.select_related("organisation", "partner").get(pk=agreement.pk)
    if agreement.state != State.DRAFT and DRAFT_ONLY_FIELDS & set(changes):
        raise ValidationError(_("Instrument and partner can only be changed while the agreement is a draft."))
    if "council_decision_final_on" in changes and agreement.state != State.COUNCIL_APPROVED:
        raise ValidationError({"council_decision_final_on": _(
            "The date the council decision became final can only be recorded while the agreement "
            "is approved by the council and not yet further.")})
    contacts = changes.pop("contacts", None)
    if "areas" in changes:
        changes["areas"] = validate_areas(changes["areas"])
    for name, value in changes.items():
        setattr(agreement, name, value)
    if agreement.term_years and not agreement.expires_on and (agreement.effective_on or agreement.signed_on):
        agreement.expires_on = add_years(agreement.effective_on or agreement.signed_on, agreement.term_years)
    validate_agreement(agreement)
    agreement.save()
    if contacts is not None:
        _replace_contacts(agreement, contacts)
    return agreement


def _replace_contacts(agreement: Agreement, contacts: list[dict]) -> None:
    agreement.contacts.all().delete()
    for item in contacts:
        contact = Contact(agreement=agreement, **{k: v for k, v in item.items()
                                                   if k in {"side", "name", "position", "email", "phone"}})
        contact.full_clean(exclude=["agreement"])
        contact.save()


@transaction.atomic
def archive_agreement(agreement: Agreement, *, actor, version, reason: str = "") -> Agreement:
    """Hide an agreement from the registry (never deleted; history and events stay)."""
    require_edit(actor, agreement.organisation_id)
    if agreement.archived_at:
        return agreement
    compare_and_swap(Agreement, agreement.pk, version)
    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement.archived_at = timezone.now()
    agreement.archive_reason = reason
    agreement.save()
    return agreement


# --- documents -------------------------------------------------------------------------------
@transaction.atomic
def add_document(*, actor, upload, agreement: Agreement | None = None,
                 activity: Activity | None = None, kind: str = Document.Kind.OTHER,
                 title: str = "") -> Document:
    """Store an uploaded file with its SHA-256 (a new record each time; never overwritten)."""
    owner = agreement or activity
    if owner is None:
        raise ValidationError(_("A document belongs to an agreement or an activity."))
    if actor is not None and not permissions.can_attach_document(actor, owner.organisation_id, kind):
        raise PermissionDenied(_("Only officers and administrators of this organisation may change its agreements."))
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Unknown document type.")})
    extension, content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = Document(agreement=agreement, activity=activity, kind=kind, title=title,
                        original_name=Path(upload.name).name[:300], extension=extension,
                        content_type=content_type, size=upload.size, sha256=digest.hexdigest(),
                        uploaded_by=actor)
    document.file.save(f"upload{extension}", upload, save=False)
    document.save()
    return document


# --- activities ------------------------------------------------------------------------------
ACTIVITY_FIELDS = {"agreement", "partner", "kind", "title", "starts_on", "ends_on", "area",
                   "participants", "participants_note", "cost_try", "outcome", "status"}


def _validate_activity(activity: Activity) -> None:
    activity.starts_on = parse_date(activity.starts_on, "starts_on")
    activity.ends_on = parse_date(activity.ends_on, "ends_on")
    errors: dict[str, list[str]] = {}
    if activity.starts_on is None:
        errors["starts_on"] = [_("Give the date of the activity.")]
    if activity.agreement_id:
        if activity.agreement.organisation_id != activity.organisation_id:
            errors["agreement"] = [_("The agreement belongs to another organisation.")]
        elif not activity.partner_id and activity.agreement.partner_id:
            activity.partner = activity.agreement.partner
    if not activity.agreement_id and not activity.partner_id:
        errors["partner"] = [_("Give an agreement or a partner.")]
    if activity.kind not in Activity.Kind.values:
        errors["kind"] = [_("Unknown kind of activity.")]
    if activity.area and activity.area not in CooperationArea.values:
        errors["area"] = [_("Unknown cooperation area.")]
    if activity.status not in Activity.Status.values:
        errors["status"] = [_("Unknown status.")]
    if activity.ends_on and activity.starts_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = [_("The end date is before the start date.")]
    if activity.status == Activity.Status.HELD and activity.starts_on and activity.starts_on > today():
        errors["status"] = [_("An activity in the future cannot have been held yet.")]
    if activity.cost_try is not None:
        try:
            if Decimal(activity.cost_try) < 0:
                errors["cost_try"] = [_("The cost cannot be negative.")]
        except InvalidOperation:
            errors["cost_try"] = [_("The cost must be a number.")]
    if not (activity.title or "").strip():
        errors["title"] = [_("A title is required.")]
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["organisation", "agreement", "partner", "created_by", "version"])


@transaction.atomic
def create_activity(*, actor, organisation: LocalGovernment | None = None, **data) -> Activity:
    organisation = acting_organisation(actor, organisation, _(
        "Only members of an organisation may record activities."))
    refuse_unknown_fields(data, ACTIVITY_FIELDS)
    activity = Activity(organisation=organisation, created_by=actor, **data)
    _validate_activity(activity)
    activity.save()
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, actor, version, **changes) -> Activity:
    require_edit(actor, activity.organisation_id)
    refuse_unknown_fields(changes, ACTIVITY_FIELDS)
    if activity.archived_at:
        raise ValidationError(_("An archived activity cannot be edited."))
    compare_and_swap(Activity, activity.pk, version)
    activity = Activity.objects.get(pk=activity.pk)
    for name, value in changes.items():
        setattr(activity, name, value)
    _validate_activity(activity)
    activity.save()
    return activity


@transaction.atomic
def archive_activity(activity: Activity, *, actor) -> Activity:
    require_edit(actor, activity.organisation_id)
    if not activity.archived_at:
        activity.archived_at = timezone.now()
        activity.version += 1
        activity.save()
    return activity


# --- calendar feed ---------------------------------------------------------------------------
@transaction.atomic
def calendar_feed(*, actor, organisation: LocalGovernment, rotate: bool = False) -> CalendarFeed:
    """The organisation's secret iCal token (created on first use; `rotate` makes a new one)."""
    if not permissions.can_read_organisation(actor, organisation.pk) or permissions.is_oversight(actor):
        raise PermissionDenied(_("Only members of this organisation have its calendar feed."))
    if rotate:
        require_edit(actor, organisation.pk)
    feed, created = CalendarFeed.objects.get_or_create(
        organisation=organisation, defaults={"token": secrets.token_urlsafe(32)})
    if rotate and not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save()
    return feed
