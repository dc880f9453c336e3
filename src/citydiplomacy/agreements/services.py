"""All writes and business rules of the agreements registry.

- Agreements: create a draft, edit with compare-and-swap on `version`, fire lifecycle
  transitions (rules in agreements.lifecycle, recorded in the append-only event log),
  archive (never delete), contacts.
- Documents: type and size checks, SHA-256, never overwritten.
- Activities: create, edit (compare-and-swap), archive.
- Policy check: flags active ties in frozen / no-relations countries as "needs review".
- Import of historical relations from a list (İBB's): records enter in their known state,
  flagged "imported, steps not recorded".
- Calendar feed tokens.

Services raise Django ValidationError (400), PermissionDenied (403), RuleViolation (409 with
the rule id) and StaleVersion (409); the API translates them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import directives, lifecycle, permission_requests, step_facts
from citydiplomacy.agreements.legal_profiles import active_profile
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import (
    Activity,
    Agreement,
    AgreementEvent,
    CalendarFeed,
    Contact,
    CooperationArea,
    DatePrecision,
    Document,
    InternationalOrganisation,
    Renewal,
)
from citydiplomacy.agreements.partners import country_code_for, find_or_create_partner
from citydiplomacy.agreements.rules import add_years
from citydiplomacy.agreements.uploads import check_upload
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.policy import selectors as policy

IMPORTED_NOTE = "imported, steps not recorded"


class RuleViolation(Exception):
    """A lifecycle or policy rule blocks the change (HTTP 409, code rule_violation)."""

    def __init__(self, violations: list[lifecycle.Violation]):
        self.violations = violations
        self.rule = violations[0].rule
        self.message = violations[0].message
        super().__init__(self.message)


class StaleVersion(Exception):
    """The record changed since the client read it (HTTP 409, code stale_version)."""

    def __init__(self, current: int):
        self.current = current
        self.message = _("This record was changed by someone else (now version %(version)s). "
                         "Reload it and apply your change again.") % {"version": current}
        super().__init__(self.message)


def today() -> dt.date:
    return timezone.localdate()


# --- helpers ---------------------------------------------------------------------------------
def _require_edit(actor, organisation_id: int | None) -> None:
    if actor is not None and not permissions.can_edit_organisation(actor, organisation_id):
        raise PermissionDenied(_("Only officers and administrators of this organisation may change its agreements."))


def _compare_and_swap(model, pk: int, version: Any) -> None:
    """Claim the next version atomically (UPDATE ... WHERE version = n) or raise StaleVersion."""
    if version in (None, ""):
        raise ValidationError({"version": _("Send the version you edited (optimistic locking).")})
    try:
        version = int(version)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"version": _("The version must be a whole number.")}) from exc
    if model.objects.filter(pk=pk, version=version).update(version=version + 1) != 1:
        raise StaleVersion(model.objects.filter(pk=pk).values_list("version", flat=True).first() or 0)


def _validate_areas(areas) -> list[str]:
    areas = list(areas or [])
    unknown = [a for a in areas if a not in CooperationArea.values]
    if unknown:
        raise ValidationError({"areas": _("Unknown cooperation areas: %(areas)s") % {"areas": ", ".join(map(str, unknown))}})
    return sorted(set(areas), key=CooperationArea.values.index)


def is_foreign(agreement: Agreement) -> bool:
    if agreement.partner_organisation_id:
        return True
    home = (agreement.organisation.country_code or "").upper()
    other = policy.policy_country(agreement.partner)
    return not (home and other and home == other)


def policy_country_of(agreement: Agreement) -> str:
    if agreement.partner_organisation_id:
        return (agreement.partner_organisation.country_code or "").upper()
    return policy.policy_country(agreement.partner)


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


def _validate(agreement: Agreement) -> None:
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
    organisation = organisation or getattr(actor, "organisation", None)
    if organisation is None:
        raise PermissionDenied(_("Only members of an organisation may create agreements."))
    _require_edit(actor, organisation.pk)
    unknown = set(data) - CREATE_FIELDS - {"contacts"}
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    contacts = data.pop("contacts", None)
    data["areas"] = _validate_areas(data.get("areas"))
    agreement = Agreement(organisation=organisation, created_by=actor, state=State.DRAFT, **data)
    _validate(agreement)
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
    _require_edit(actor, agreement.organisation_id)
    unknown = set(changes) - EDIT_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be edited here: %(fields)s (dates of "
                                "decisions, permission and signing are set by transitions).")
                              % {"fields": ", ".join(sorted(unknown))})
    if agreement.archived_at:
        raise ValidationError(_("An archived agreement cannot be edited."))
    _compare_and_swap(Agreement, agreement.pk, version)
    agreement = Agreement.objects.select_related("organisation", "partner").get(pk=agreement.pk)
    if agreement.state != State.DRAFT and DRAFT_ONLY_FIELDS & set(changes):
        raise ValidationError(_("Instrument and partner can only be changed while the agreement is a draft."))
    if "council_decision_final_on" in changes and agreement.state != State.COUNCIL_APPROVED:
        raise ValidationError({"council_decision_final_on": _(
            "The date the council decision became final can only be recorded while the agreement "
            "is approved by the council and not yet further.")})
    contacts = changes.pop("contacts", None)
    if "areas" in changes:
        changes["areas"] = _validate_areas(changes["areas"])
    for name, value in changes.items():
        setattr(agreement, name, value)
    if agreement.term_years and not agreement.expires_on and (agreement.effective_on or agreement.signed_on):
        agreement.expires_on = add_years(agreement.effective_on or agreement.signed_on, agreement.term_years)
    _validate(agreement)
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
    _require_edit(actor, agreement.organisation_id)
    if agreement.archived_at:
        return agreement
    _compare_and_swap(Agreement, agreement.pk, version)
    agreement = Agreement.objects.get(pk=agreement.pk)
    agreement.archived_at = timezone.now()
    agreement.archive_reason = reason
    agreement.save()
    return agreement


def last_step_on(agreement: Agreement) -> dt.date | None:
    """The date of the latest recorded step, from the event log and the known dates."""
    dates = [d for d in AgreementEvent.objects.filter(agreement=agreement)
             .exclude(kind=AgreementEvent.Kind.CREATED).values_list("occurred_on", flat=True) if d]
    dates += [d for d in (agreement.council_decision_on, agreement.permission_requested_on,
                          agreement.permission_decided_on, agreement.signed_on,
                          agreement.ended_on) if d]
    return max(dates) if dates else None


def transition_facts(agreement: Agreement, to: str, on: dt.date, *, reference: str = "",
                     reason: str = "", final_on: dt.date | None = None,
                     clearance: str = "") -> lifecycle.Facts:
    country = policy_country_of(agreement)
    partner = None if agreement.partner_organisation_id else agreement.partner
    relation = policy.PolicyIndex().relation_for(partner, on, country_code=country) if country else None
    return lifecycle.Facts(
        state=agreement.state, target=to, on=on, today=today(),
        instrument=agreement.instrument, foreign=is_foreign(agreement),
        operative=agreement.operative_commitments,
        special_provincial_administration=(
            agreement.organisation.kind == GovernmentKind.SPECIAL_PROVINCIAL_ADMINISTRATION),
        last_step_on=last_step_on(agreement),
        council_decision_final_on=final_on or agreement.council_decision_final_on,
        policy_status=relation.status if relation else "normal",
        policy_clearance=clearance or agreement.policy_clearance_reference,
        reference=reference, reason=reason,
        country_code=relation.area_code if relation else country,  # the region, where it judges
    )


def _parse_date(value, field_name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field_name: _("Give a date as YYYY-MM-DD.")}) from exc


@transaction.atomic
def transition(agreement: Agreement, *, actor, to: str, on, reason: str = "", reference: str = "",
               final_on=None, clearance: str = "", place: str = "", document: Document | None = None,
               version=None) -> Agreement:
    """Move an agreement to state `to` on date `on`, if the rule table allows it.

    Records an AgreementEvent (who, when, from, to, reason, reference, document); raises
    RuleViolation naming the blocking rule, PermissionDenied when the actor's role may not
    fire this transition, StaleVersion when `version` is given and stale.
    """
    on = _parse_date(on, "date")
    final_on = _parse_date(final_on, "final_on")
    if final_on and agreement.state not in (State.IN_COMMITTEE, State.COUNCIL_APPROVED):
        raise ValidationError({"final_on": _("The date the council decision became final is recorded "
                                             "with the decision or before the next step.")})
    if on is None:
        raise ValidationError({"date": _("Give the date of this step.")})
    if to not in State.values:
        raise ValidationError({"to": _("Unknown state “%(state)s”.") % {"state": to}})
    agreement = Agreement.objects.select_related("organisation", "partner", "partner_organisation").get(pk=agreement.pk)
    if agreement.archived_at:
        raise ValidationError(_("An archived agreement cannot change state."))
    rule = lifecycle.rule_for(agreement.state, to)
    if actor is not None and not permissions.may_step_agreement(
            actor, agreement.organisation_id, rule.needs if rule else None):
        raise PermissionDenied(_("You may not change this organisation's agreements."))
    facts = transition_facts(agreement, to, on, reference=reference, reason=reason,
                             final_on=final_on, clearance=clearance)
    violations = lifecycle.check(facts)
    # National policy is the final determinant: a step it blocks is refused with the policy
    # rule whoever asks (officer or approver), before the question of who may record it.
    policy_violations = [v for v in violations if v.rule.startswith("policy.")]
    if policy_violations:
        raise RuleViolation(policy_violations)
    if rule is not None and actor is not None and not permissions.can_fire_transition(
            actor, agreement.organisation_id, rule.needs):
        if rule.needs == lifecycle.AUTHORITY and permissions.authority_decides_in_system():
            raise PermissionDenied(_("The permitting authority records its decision in the system; "
                                     "a municipality cannot record it."))
        if rule.needs == lifecycle.AUTHORITY and permissions.is_permitting_authority(actor):
            raise PermissionDenied(_("In this installation the municipality records the permitting "
                                     "authority's decision from its letter."))
        if rule.needs in (lifecycle.DECIDE, lifecycle.AUTHORITY, lifecycle.AUTHORITY_OR_DECIDE):
            raise PermissionDenied(_("Only approvers and administrators record council and ministry decisions."))
        raise PermissionDenied(_("Only officers and administrators of this organisation may do this."))
    if violations:
        raise RuleViolation(violations)
    if document is not None and document.agreement_id != agreement.pk:
        raise ValidationError({"document": _("The document belongs to another agreement.")})
    if version not in (None, ""):
        _compare_and_swap(Agreement, agreement.pk, version)
    else:
        Agreement.objects.filter(pk=agreement.pk).update(version=agreement.version + 1)
    agreement.version = Agreement.objects.values_list("version", flat=True).get(pk=agreement.pk)
    _apply_transition(agreement, to, on, reference=reference, reason=reason, final_on=final_on,
                      clearance=clearance, place=place)
    _validate(agreement)
    source = agreement.state
    agreement.state = to
    agreement.save()
    AgreementEvent.objects.create(
        agreement=agreement, from_state=source, to_state=to, occurred_on=on, actor=actor,
        reason=reason, reference=reference, document=document, policy_status=facts.policy_status,
        facts=step_facts.record(agreement, facts),
    )
    permission_requests.after_step(agreement, to)
    directives.after_step(agreement, to, on, reference)
    return agreement


def _apply_transition(agreement: Agreement, to: str, on: dt.date, *, reference: str, reason: str,
                      final_on: dt.date | None, clearance: str, place: str) -> None:
    if clearance:
        agreement.policy_clearance_reference = clearance
    if final_on:
        agreement.council_decision_final_on = final_on
    if to in (State.COUNCIL_APPROVED, State.COUNCIL_REJECTED):
        agreement.council_decision_on = on
        agreement.council_decision_number = reference
    elif to == State.PERMISSION_REQUESTED and not active_profile().permitting_authorities:
        agreement.permission_requested_on = on  # a notification to the Minister (au-fas)
    elif to == State.PERMISSION_REQUESTED:
        authority = policy.permitting_authority_on(on)
        if authority is None:
            raise ValidationError(_("No permitting authority is recorded for %(date)s; load the "
                                    "policy tables (citydiplomacy load-policy).") % {"date": on})
        agreement.permission_requested_on = on
        agreement.permitting_authority = authority
    elif to in (State.PERMISSION_GRANTED, State.PERMISSION_DENIED):
        agreement.permission_decided_on = on
        agreement.permission_granted = to == State.PERMISSION_GRANTED
        agreement.permission_reference = reference
    elif to == State.SIGNED:
        agreement.signed_on = on
        agreement.signed_on_precision = DatePrecision.DAY
        agreement.signed_place = place or agreement.signed_place
    elif to == State.ACTIVE and agreement.state == State.SIGNED:
        agreement.effective_on = agreement.effective_on or on
        if agreement.term_years and not agreement.expires_on:
            agreement.expires_on = add_years(agreement.effective_on, agreement.term_years)
    elif to in (State.EXPIRED, State.TERMINATED):
        agreement.ended_on = on
        agreement.end_reason = reason


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
    activity.starts_on = _parse_date(activity.starts_on, "starts_on")
    activity.ends_on = _parse_date(activity.ends_on, "ends_on")
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
    organisation = organisation or getattr(actor, "organisation", None)
    if organisation is None:
        raise PermissionDenied(_("Only members of an organisation may record activities."))
    _require_edit(actor, organisation.pk)
    unknown = set(data) - ACTIVITY_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    activity = Activity(organisation=organisation, created_by=actor, **data)
    _validate_activity(activity)
    activity.save()
    return activity


@transaction.atomic
def update_activity(activity: Activity, *, actor, version, **changes) -> Activity:
    _require_edit(actor, activity.organisation_id)
    unknown = set(changes) - ACTIVITY_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if activity.archived_at:
        raise ValidationError(_("An archived activity cannot be edited."))
    _compare_and_swap(Activity, activity.pk, version)
    activity = Activity.objects.get(pk=activity.pk)
    for name, value in changes.items():
        setattr(activity, name, value)
    _validate_activity(activity)
    activity.save()
    return activity


@transaction.atomic
def archive_activity(activity: Activity, *, actor) -> Activity:
    _require_edit(actor, activity.organisation_id)
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
        _require_edit(actor, organisation.pk)
    feed, created = CalendarFeed.objects.get_or_create(
        organisation=organisation, defaults={"token": secrets.token_urlsafe(32)})
    if rotate and not created:
        feed.token = secrets.token_urlsafe(32)
        feed.save()
    return feed


# --- import of historical relations ----------------------------------------------------------
@dataclass
class ImportReport:
    created: int = 0
    existing: int = 0
    rows: int = 0
    errors: list[str] = field(default_factory=list)


_YEAR = re.compile(r"^\d{4}$")


def _imported_date(text: str) -> tuple[dt.date | None, str]:
    text = (text or "").strip()
    if not text:
        return None, DatePrecision.DAY
    if _YEAR.match(text):
        return dt.date(int(text), 1, 1), DatePrecision.YEAR
    return dt.date.fromisoformat(text), DatePrecision.DAY


def _international_organisation(name: str, country: str) -> InternationalOrganisation:
    match = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", name.strip())
    full, acronym = (match.group(1), match.group(2)) if match else (name.strip(), "")
    organisation, _created = InternationalOrganisation.objects.get_or_create(
        name=full, defaults={"acronym": acronym,
                             "country_code": country_code_for(country) if country else ""})
    return organisation


@transaction.atomic
def import_relations(path: Path | str, *, organisation: LocalGovernment, actor=None) -> ImportReport:
    """Import a list of relations (columns as data/istanbul/istanbul_relations.csv).

    Idempotent: a row whose (organisation, partner, instrument) is already imported is left
    alone. Records enter in their known state, flagged "imported, steps not recorded"; one
    `imported` event stands for all the unrecorded steps. Activities are never invented.
    """
    if actor is not None:
        _require_edit(actor, organisation.pk)
    path = Path(path)
    report = ImportReport()
    for number, row in enumerate(_relation_rows(path), start=2):
        report.rows += 1
        try:
            if not row["partner"] or not row["instrument"] or not row["status"]:
                raise ValidationError(_("the row lacks a partner, an instrument or a status"))
            created = _import_row(row, organisation=organisation, actor=actor, file_name=path.name)
        except (ValidationError, ValueError) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            report.errors.append(_("line %(n)d: %(error)s") % {"n": number, "error": " ".join(messages)})
            continue
        report.created += created
        report.existing += not created
    if report.errors:
        transaction.set_rollback(True)
        raise ValidationError([_("Nothing was imported.")] + report.errors)
    return report


RELATION_COLUMNS = ("partner", "partner_country", "instrument", "council_decision_on", "signed_on",
                    "status", "ended_on", "note", "source")
REQUIRED_RELATION_COLUMNS = ("partner", "partner_country", "instrument", "status")
MAX_RELATIONS_FILE_BYTES = 5 * 1024 * 1024


def _relation_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a relations CSV (UTF-8, UTF-8 with BOM or Windows-1254; columns in any order),
    every value a stripped string; a clear ValidationError for a file that is not such a CSV."""
    from citydiplomacy.places.tables import (
        ImportError_,
        decode_table_bytes,
        max_import_rows,
        read_limited,
    )

    try:  # a regular file within the size cap, decodable as text
        data = read_limited(path, MAX_RELATIONS_FILE_BYTES)
        if b"\x00" in data[:4096]:
            raise ImportError_(_("This is not a text CSV file (UTF-8 or Windows-1254 expected)."))
        text = decode_table_bytes(data)
    except ImportError_ as exc:
        raise ValidationError(str(exc)) from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        missing = [column for column in REQUIRED_RELATION_COLUMNS if column not in header]
        if missing:
            raise ValidationError(_("Wrong header: the columns %(missing)s are missing (expected %(all)s).")
                                  % {"missing": ", ".join(missing), "all": ",".join(RELATION_COLUMNS)})
        reader.fieldnames = header
        rows = [{column: (row.get(column) or "").strip() for column in RELATION_COLUMNS}
                for row in reader]
    except csv.Error as exc:
        raise ValidationError(_("Not a readable CSV file: %(error)s") % {"error": exc}) from exc
    if len(rows) > max_import_rows():
        raise ValidationError(
            _("The file has more than %(cap)s rows; the limit is %(cap)s (setting "
              "CITYDIPLOMACY_IMPORT_MAX_ROWS). Split it into smaller files.")
            % {"cap": f"{max_import_rows():,}"})
    return rows


def _import_row(row: dict, *, organisation, actor, file_name: str) -> bool:
    instrument = row["instrument"].strip()
    state = row["status"].strip()
    if instrument not in Instrument.values:
        raise ValidationError(_("unknown instrument “%(value)s”") % {"value": instrument})
    if state not in State.values:
        raise ValidationError(_("unknown status “%(value)s”") % {"value": state})
    partner = partner_organisation = None
    if instrument == Instrument.MEMBERSHIP:
        partner_organisation = _international_organisation(row["partner"], row["partner_country"])
    else:
        partner = find_or_create_partner(row["partner"], row["partner_country"])
    existing = Agreement.objects.filter(organisation=organisation, instrument=instrument,
                                        partner=partner, partner_organisation=partner_organisation,
                                        is_imported=True)
    if existing.exists():
        return False
    council_on, _precision = _imported_date(row.get("council_decision_on", ""))
    signed_on, signed_precision = _imported_date(row.get("signed_on", ""))
    ended_on, _precision = _imported_date(row.get("ended_on", ""))
    note = (row.get("note") or "").strip()
    ending_decision = bool(council_on and ended_on and council_on == ended_on
                           and state in (State.TERMINATED, State.EXPIRED))
    name = (partner or partner_organisation).name
    agreement = Agreement(
        organisation=organisation, partner=partner, partner_organisation=partner_organisation,
        instrument=instrument, state=state,
        title=f"{organisation.name} – {name}: {Instrument(instrument).label}",
        council_decision_on=None if ending_decision else council_on,
        signed_on=signed_on, signed_on_precision=signed_precision,
        ended_on=ended_on, end_reason=note if ended_on else "",
        notes=note, source=(row.get("source") or "").strip(), is_imported=True, created_by=actor,
    )
    _validate(agreement)
    agreement.save()
    AgreementEvent.objects.create(
        agreement=agreement, kind=AgreementEvent.Kind.IMPORTED, from_state="", to_state=state,
        occurred_on=ended_on or signed_on or council_on, actor=actor,
        reason=_("Imported from %(file)s; %(note)s.") % {"file": file_name, "note": IMPORTED_NOTE},
        reference=(row.get("source") or "").strip()[:200],
    )
    return True

