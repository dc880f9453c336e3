"""The one place where object-level permissions are decided.

Views, API viewsets and services all ask these functions; nothing else compares roles.

Rules
- Anonymous users: nothing here (the public page has its own, published-only selectors).
- viewer: reads its own organisation's records, including drafts.
- officer: reads and edits its own organisation's records.
- approver: reads its own records and records council and ministry decisions.
- admin: everything an officer and approver may do, plus managing its organisation's users.
- oversight: reads every organisation's records; edits nothing.
- Another organisation's records are invisible (404, never 403, so drafts do not leak
  even their existence) unless published (non-draft) through the public selectors.
- The shared world registry of local governments (partners) is readable by every
  signed-in user; officers and admins may create entries and correct their descriptive
  fields (names, population, Wikidata id; also from a Wikidata export on the reconciliation
  page, confirming uncertain matches). An organisation's own record (a local government
  with members) is edited only by that organisation's admin.
- A record's identity (country, GeoNames id, kind, parent, region, coordinates: the facts the
  lifecycle and policy rules decide on) comes from the gazetteer or from a registry steward's
  decision on a correction proposal. Stewards: the oversight role for every record, and an
  organisation's admin for its own record. Whoever may edit a record, or steward it, may
  propose a correction.
- Agreements (citydiplomacy.agreements): officers and admins create and edit their own
  organisation's agreements and activities and fire the "edit" transitions of the lifecycle
  table (submit to committee, request permission, sign, activate, expire); approvers and
  admins fire the "decide" transitions (council and ministry decisions, suspension,
  resumption, termination) and attach the documents of those decisions. Stored documents
  are read by those who may read their agreement (agreements.document_access). Which
  transition needs which is written in
  agreements/lifecycle.py (TRANSITIONS); `can_fire_transition` is the check.
- Partner recommendations (citydiplomacy.recommend) are for an organisation's own members
  (any member role reads them); turning a suggestion into a draft agreement and editing the
  organisation's partner-seeking profile need edit rights (officers, admins). Open profiles
  are public.
- The central-government policy table (citydiplomacy.policy) is national: every signed-in
  user reads it; only the oversight role writes it (the one write oversight may make).
- A municipality of the national registry becomes an organisation (governments.activation)
  when the oversight role or a superuser activates it with its first administrator, who
  then adds the organisation's other users.
- Analytics (citydiplomacy.analytics): an agreement is public record once signed
  (signed, active, suspended, expired, terminated) and not archived; the transparency page
  and open data show only such records (the page lists the active ones), never notes or
  in-progress steps. Cross-organisation figures (a country's timeline, the world network)
  use the user's readable records plus the public records of the others. Self-assessments
  and partner acknowledgements are written by those who may edit the organisation's records.
  An organisation's annual report (page, PDF, API) is its members' and oversight's, not the
  permitting authority's (`can_read_annual_report`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from citydiplomacy.accounts.models import Role

EDIT_ROLES = frozenset({Role.OFFICER, Role.ADMIN})
DECIDE_ROLES = frozenset({Role.APPROVER, Role.ADMIN})
MEMBER_ROLES = frozenset({Role.VIEWER, Role.OFFICER, Role.APPROVER, Role.ADMIN})


def is_signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_oversight(user: Any) -> bool:
    return is_signed_in(user) and user.role == Role.OVERSIGHT


def is_permitting_authority(user: Any) -> bool:
    return is_signed_in(user) and user.role == Role.AUTHORITY


def authority_decides_in_system() -> bool:
    return bool(getattr(settings, "AUTHORITY_DECIDES_IN_SYSTEM", False))


def reads_requested_agreements_only(user: Any) -> bool:
    """The authority's scope: agreements with a permission request, nothing else."""
    return is_permitting_authority(user)


def can_read_permission_requests(user: Any) -> bool:
    """The queue of open permission requests of every municipality."""
    return is_permitting_authority(user) or is_oversight(user)


def organisation_id_of(user: Any) -> int | None:
    if not is_signed_in(user) or user.role not in MEMBER_ROLES:
        return None
    return user.organisation_id


def can_read_organisation(user: Any, organisation_id: int | None) -> bool:
    """May the user read the (internal) records owned by this organisation?"""
    if is_oversight(user):
        return True
    own = organisation_id_of(user)
    return own is not None and own == organisation_id


def can_read_annual_report(user: Any, organisation_id: int | None) -> bool:
    """May the user read this organisation's annual report (HTML, PDF, API)? The report is the
    municipality's own account of its ties, drafts and steps included: its members and
    oversight read it. The permitting authority decides permission requests and reads only
    the agreements that have one (`reads_requested_agreements_only`), not a municipality's
    report."""
    return can_read_organisation(user, organisation_id)


def can_edit_organisation(user: Any, organisation_id: int | None) -> bool:
    """May the user create and change records owned by this organisation?"""
    own = organisation_id_of(user)
    return own is not None and own == organisation_id and user.role in EDIT_ROLES


def can_decide_for_organisation(user: Any, organisation_id: int | None) -> bool:
    """May the user record council and ministry decisions for this organisation?"""
    own = organisation_id_of(user)
    return own is not None and own == organisation_id and user.role in DECIDE_ROLES


def can_manage_users(user: Any, organisation_id: int | None) -> bool:
    own = organisation_id_of(user)
    return own is not None and own == organisation_id and user.role == Role.ADMIN


def can_edit_registry(user: Any) -> bool:
    """May the user add to or correct the shared registry of local governments?"""
    return organisation_id_of(user) is not None and user.role in EDIT_ROLES


def _is_organisation_record(government: Any) -> bool:
    """Does this local government use the system (has members)? Callers may precompute it
    as `is_organisation_record` to spare the query."""
    known = getattr(government, "is_organisation_record", None)
    if known is not None:
        return bool(known)
    return bool(government.pk) and government.is_organisation


def can_edit_registry_record(user: Any, government: Any) -> bool:
    """May the user change this local government's descriptive fields directly?
    An organisation's own record: only its admin. Any other record: officers and admins."""
    if _is_organisation_record(government):
        return organisation_id_of(user) == government.pk and user.role == Role.ADMIN
    return can_edit_registry(user)


def can_steward_registry_record(user: Any, government: Any) -> bool:
    """May the user decide (accept or reject) a correction of this record's identity?"""
    if is_oversight(user):
        return True
    own = organisation_id_of(user)
    return own is not None and own == government.pk and user.role == Role.ADMIN


def can_reconcile_wikidata(user: Any, organisation_id: int | None) -> bool:
    """May the user attach Wikidata ids to the organisation's partners from a Wikidata Query
    Service export, and confirm or reject the uncertain matches? Its officers and admins (each
    partner must also be one they may edit: can_edit_registry_record)."""
    return can_edit_organisation(user, organisation_id)


def can_propose_registry_correction(user: Any, government: Any) -> bool:
    """May the user propose a correction of this record's identity to its stewards?"""
    return can_edit_registry_record(user, government) or can_steward_registry_record(user, government)


def can_review_registry_corrections(user: Any) -> bool:
    """Does the user steward any record (sees the queue of corrections to decide)?"""
    return is_oversight(user) or (organisation_id_of(user) is not None and user.role == Role.ADMIN)


def can_write_own_records(user: Any, needs: str = "edit") -> bool:
    """Could the user write any record of an organisation at all? Asked before a request's
    body is read, so that a role that may not write is refused (403) whatever it sends.
    needs = "edit", "decide" or "step" (a lifecycle transition: members who edit or decide,
    and the permitting authority, whose steps may_step_agreement then judges)."""
    if needs == "step" and is_permitting_authority(user):
        return True
    if organisation_id_of(user) is None:
        return False
    if needs == "decide":
        return user.role in DECIDE_ROLES
    if needs == "step":
        return user.role in EDIT_ROLES | DECIDE_ROLES
    return user.role in EDIT_ROLES


def readable_organisation_ids(user: Any) -> list[int] | None:
    """Organisation ids whose records the user may read; None means all of them."""
    if is_oversight(user):
        return None
    own = organisation_id_of(user)
    return [own] if own is not None else []


def scope_to_readable(queryset, user: Any, field: str = "organisation"):
    """Filter a queryset of organisation-owned records to what the user may read."""
    ids = readable_organisation_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}_id__in": ids})


def can_fire_transition(user: Any, organisation_id: int | None, needs: str) -> bool:
    """May the user fire a lifecycle transition whose rule-table role is `needs`?

    needs = "edit" (officers, admins), "decide" (approvers, admins) or "authority" (the
    permitting authority's decision: its staff when it decides in the system, else the
    organisation's approvers and admins recording it from its letter); see
    agreements.lifecycle.TRANSITIONS.
    """
    if needs == "authority_or_decide" and is_permitting_authority(user):
        return True
    if needs == "authority":
        if authority_decides_in_system():
            return is_permitting_authority(user)
        return can_decide_for_organisation(user, organisation_id)
    if needs in ("decide", "authority_or_decide"):
        return can_decide_for_organisation(user, organisation_id)
    return can_edit_organisation(user, organisation_id)


def may_step_agreement(user: Any, organisation_id: int | None, needs: str | None) -> bool:
    """May the user ask for a lifecycle step on this organisation's agreement at all (the
    rule table then says whether this step is theirs)? Members who edit or decide; the
    authority for its own decisions (and for steps the table does not have, so that it is
    told the step does not exist rather than that it may not ask)."""
    if needs in ("authority", "authority_or_decide", None) and is_permitting_authority(user):
        return True
    return can_edit_organisation(user, organisation_id) or can_decide_for_organisation(user, organisation_id)


def can_issue_directives(user: Any) -> bool:
    """Directives to the municipalities are the central government's: national oversight and
    the permitting authority (the ministry) issue them."""
    return is_oversight(user) or is_permitting_authority(user)


def can_read_directives(user: Any) -> bool:
    """The directives and their compliance across municipalities: oversight and the authority."""
    return is_oversight(user) or is_permitting_authority(user)


def can_activate_municipalities(user: Any) -> bool:
    """Activating a municipality of the national registry as an organisation (its first
    administrator) is national work: the oversight role, and the site's superusers."""
    return is_oversight(user) or (is_signed_in(user) and user.is_superuser)


DECISION_DOCUMENT_KINDS = frozenset({"council_decision", "ministry_permission"})


def can_attach_document(user: Any, organisation_id: int | None, kind: str) -> bool:
    """May the user store a document of this kind for the organisation's records? Officers and
    admins any kind; approvers the documents of the decisions they record."""
    return can_edit_organisation(user, organisation_id) or (
        kind in DECISION_DOCUMENT_KINDS and can_decide_for_organisation(user, organisation_id))


def can_write_country_relations(user: Any) -> bool:
    """The national policy table is written by the oversight role only."""
    return is_oversight(user)


PUBLIC_AGREEMENT_STATES = frozenset({"signed", "active", "suspended", "expired", "terminated"})


def is_public_agreement(agreement: Any) -> bool:
    """Is this agreement public record (transparency page, open data)?"""
    return agreement.state in PUBLIC_AGREEMENT_STATES and agreement.archived_at is None


def can_see_recommendations(user: Any, organisation_id: int | None) -> bool:
    """Partner suggestions are internal: members of the organisation read them."""
    own = organisation_id_of(user)
    return own is not None and own == organisation_id
