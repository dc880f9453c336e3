"""The legal lifecycle of an agreement: states, transitions and every rule, in one place.

Pure Python (no database): `check(facts)` answers the list of rule violations for a
proposed transition, each named by a stable rule id that the API returns with HTTP 409.
The service (agreements.transitions.transition) gathers the facts, asks here, and records the
event. Rules (Municipal Law 5393 art. 74 and 18(p) and the central-government policy):

- law5393.council_decision_required: every instrument except a letter of goodwill needs a
  council decision before signing.
- law5393.council_decision_not_final: the council decision must have become final before
  the ministry is asked or the agreement is signed.
- law5393.ministry_permission_required: a tie with a foreign local government (twinning,
  cooperation protocol, memorandum with operative commitments) and any membership of an
  international organisation needs the ministry's prior permission before signing.
  A domestic partner needs the council decision only; a letter of goodwill neither.
- law5393.permission_not_required: asking the ministry when the law does not require it.
- law5393.special_provincial_administration_twinning: an il özel idaresi cannot twin.
- lifecycle.council_reference_required / lifecycle.reason_required: council and ministry
  decisions carry their reference; suspension and termination by the municipality need a
  council decision reference and a reason.
- lifecycle.terminated_is_final: a terminated tie is never reactivated (start a new one).
- lifecycle.no_such_transition, lifecycle.date_in_future, lifecycle.date_before_previous_step.
- policy.frozen_country / policy.no_relations: no new tie passes council approval, the
  permission request or grant, or signing while the partner's country is frozen or has no
  diplomatic relations with the national government.
- policy.restricted_needs_clearance: a restricted country needs an extra (central) approval
  reference recorded on the agreement before those steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_COMMITTEE = "in_committee", _("In committee")
    COUNCIL_APPROVED = "council_approved", _("Approved by the council")
    COUNCIL_REJECTED = "council_rejected", _("Rejected by the council")
    PERMISSION_REQUESTED = "permission_requested", _("Ministry permission requested")
    PERMISSION_GRANTED = "permission_granted", _("Ministry permission granted")
    PERMISSION_DENIED = "permission_denied", _("Ministry permission refused")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Instrument(models.TextChoices):
    TWINNING = "twinning", _("Twinning / sister city")
    COOPERATION_PROTOCOL = "cooperation_protocol", _("Cooperation protocol")
    MEMORANDUM = "memorandum_of_understanding", _("Memorandum of understanding")
    LETTER_OF_GOODWILL = "letter_of_goodwill", _("Letter of goodwill")
    MEMBERSHIP = "membership", _("Membership of an international organisation")
    OTHER = "other", _("Other")


EDIT = "edit"      # officers and admins (accounts.permissions.can_fire_transition)
DECIDE = "decide"  # approvers and admins
AUTHORITY = "authority"  # the permitting authority's decision (its staff, or recorded from its letter)
AUTHORITY_OR_DECIDE = "authority_or_decide"  # the council's approvers, or the authority (e.g. a cancellation)


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    needs: str                      # EDIT or DECIDE
    reference_required: bool = False  # decision / permission reference
    reason_required: bool = False


S = State
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (t.source, t.target): t for t in [
        Transition(S.DRAFT, S.IN_COMMITTEE, EDIT),
        Transition(S.DRAFT, S.SIGNED, EDIT),  # letters of goodwill only (no council needed)
        Transition(S.IN_COMMITTEE, S.COUNCIL_APPROVED, DECIDE, reference_required=True),
        Transition(S.IN_COMMITTEE, S.COUNCIL_REJECTED, DECIDE, reference_required=True),
        Transition(S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED, EDIT),
        Transition(S.COUNCIL_APPROVED, S.SIGNED, EDIT),  # when no permission is required
        Transition(S.PERMISSION_REQUESTED, S.PERMISSION_GRANTED, AUTHORITY, reference_required=True),
        Transition(S.PERMISSION_REQUESTED, S.PERMISSION_DENIED, AUTHORITY, reference_required=True),
        Transition(S.PERMISSION_GRANTED, S.SIGNED, EDIT),
        Transition(S.SIGNED, S.ACTIVE, EDIT),
        Transition(S.ACTIVE, S.SUSPENDED, DECIDE, reference_required=True, reason_required=True),
        Transition(S.SUSPENDED, S.ACTIVE, DECIDE, reference_required=True),
        Transition(S.ACTIVE, S.EXPIRED, EDIT),
        Transition(S.SUSPENDED, S.EXPIRED, EDIT),
        Transition(S.SIGNED, S.TERMINATED, DECIDE, reference_required=True, reason_required=True),
        Transition(S.ACTIVE, S.TERMINATED, DECIDE, reference_required=True, reason_required=True),
        Transition(S.SUSPENDED, S.TERMINATED, DECIDE, reference_required=True, reason_required=True),
    ]
}

# Steps a new tie may not pass while its country is frozen / has no relations / is restricted.
POLICY_GATED = frozenset({S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED, S.PERMISSION_GRANTED, S.SIGNED})
# States in which a tie exists (flagged "needs review" under a blocking policy).
IN_FORCE = frozenset({S.SIGNED, S.ACTIVE, S.SUSPENDED})
# States of a tie still on its way (affected by a policy change as "blocked").
IN_PROGRESS = frozenset({S.DRAFT, S.IN_COMMITTEE, S.COUNCIL_APPROVED, S.PERMISSION_REQUESTED,
                         S.PERMISSION_GRANTED})
FINAL = frozenset({S.COUNCIL_REJECTED, S.PERMISSION_DENIED, S.EXPIRED, S.TERMINATED})


def needs_council_decision(instrument: str) -> bool:
    return instrument != Instrument.LETTER_OF_GOODWILL


def needs_ministry_permission(instrument: str, *, foreign: bool, operative: bool = True) -> bool:
    """Art. 74: foreign ties (and any international membership) need prior permission."""
    if instrument == Instrument.LETTER_OF_GOODWILL:
        return False
    if instrument == Instrument.MEMBERSHIP:
        return True
    if instrument == Instrument.MEMORANDUM and not operative:
        return False
    return foreign


def _profile():
    from citydiplomacy.agreements.legal_profiles import active_profile

    return active_profile()


def rule_for(source: str, target: str) -> Transition | None:
    """The transition of the installation's legal profile (agreements.legal_profiles)."""
    return _profile().transitions.get((source, target))


def targets_from(state: str) -> list[str]:
    return [target for (source, target) in _profile().transitions if source == state]


def state_label(state: str) -> str:
    """The state's name in the user's language, in the words of the installation's profile."""
    return _profile().label(state)


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


@dataclass
class Facts:
    """Everything the rules need to know about a proposed transition."""

    state: str
    target: str
    on: dt.date
    today: dt.date
    instrument: str
    foreign: bool
    operative: bool = True
    special_provincial_administration: bool = False
    last_step_on: dt.date | None = None
    council_decision_final_on: dt.date | None = None
    policy_status: str = "normal"
    policy_clearance: str = ""
    reference: str = ""
    reason: str = ""
    country_code: str = ""


def check(f: Facts) -> list[Violation]:
    """All rule violations for the proposed transition under the installation's legal profile
    (empty list: allowed): the rules every profile shares, then the profile's own."""
    profile = _profile()
    if f.state == S.TERMINATED:
        return [Violation("lifecycle.terminated_is_final", str(_(
            "A terminated tie is never reactivated; a new agreement must go through the whole cycle.")))]
    rule = profile.transitions.get((f.state, f.target))
    if rule is None:
        return [Violation("lifecycle.no_such_transition", str(_(
            "An agreement cannot go from “%(source)s” to “%(target)s”.") % {
                "source": _label(f.state), "target": _label(f.target)}))]
    found: list[Violation] = []
    if f.on > f.today:
        found.append(Violation("lifecycle.date_in_future", str(_("The date is in the future."))))
    if f.last_step_on and f.on < f.last_step_on:
        found.append(Violation("lifecycle.date_before_previous_step", str(_(
            "The date is before the previous step (%(date)s).") % {"date": f.last_step_on.isoformat()})))
    if rule.reference_required and not f.reference.strip():
        found.append(Violation("lifecycle.council_reference_required", str(_(
            "This step records a decision: give its reference (decision or permission number)."))))
    if rule.reason_required and not f.reason.strip():
        found.append(Violation("lifecycle.reason_required", str(_(
            "Suspension and termination need a reason."))))
    return found + profile.rules(f)


def law5393_rules(f: Facts) -> list[Violation]:
    """Turkey's Municipal Law 5393 and national foreign policy (the `tr-5393` profile)."""
    found: list[Violation] = []
    if f.special_provincial_administration and f.instrument == Instrument.TWINNING:
        found.append(Violation("law5393.special_provincial_administration_twinning", str(_(
            "A special provincial administration cannot hold a twinning."))))
    permission = needs_ministry_permission(f.instrument, foreign=f.foreign, operative=f.operative)
    if f.target == S.SIGNED and f.state == S.DRAFT and needs_council_decision(f.instrument):
        found.append(Violation("law5393.council_decision_required", str(_(
            "This instrument needs a council decision before it can be signed."))))
    if f.target in (S.PERMISSION_REQUESTED, S.SIGNED) and f.state == S.COUNCIL_APPROVED and (
            f.council_decision_final_on is None or f.council_decision_final_on > f.on):
        found.append(Violation("law5393.council_decision_not_final", str(_(
            "The council decision has not become final (record the date it became final)."))))
    if f.target == S.SIGNED and f.state == S.COUNCIL_APPROVED and permission:
        found.append(Violation("law5393.ministry_permission_required", str(_(
            "A tie with a foreign local government or an international organisation needs the "
            "ministry's prior permission before it can be signed (Law 5393 art. 74)."))))
    if f.target == S.PERMISSION_REQUESTED and not permission:
        found.append(Violation("law5393.permission_not_required", str(_(
            "The ministry's permission is not required for this agreement; it can be signed "
            "once the council decision is final."))))
    if f.target in POLICY_GATED:
        found.extend(_policy(f))
    return found


def _policy(f: Facts) -> list[Violation]:
    from citydiplomacy.places.countries import country_name

    params = {"country": country_name(f.country_code) or f.country_code, "date": f.on.isoformat()}
    if f.policy_status == "frozen":
        return [Violation("policy.frozen_country", str(_(
            "Relations with %(country)s are frozen by the national government on %(date)s: no new "
            "tie may pass council approval, permission or signing.") % params))]
    if f.policy_status == "no_relations":
        return [Violation("policy.no_relations", str(_(
            "The national government has no diplomatic relations with %(country)s (%(date)s): no "
            "new tie may pass council approval, permission or signing.") % params))]
    if f.policy_status == "restricted" and not f.policy_clearance.strip():
        return [Violation("policy.restricted_needs_clearance", str(_(
            "Relations with %(country)s are restricted on %(date)s: record the extra central "
            "approval (policy clearance reference) first.") % params))]
    return []


def _label(state: str) -> str:
    return state_label(state)
