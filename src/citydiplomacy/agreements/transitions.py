"""The lifecycle step service: `transition` moves an agreement to another state on a date if
the rule table (agreements.lifecycle) allows it, and records the step in the append-only event
log. `transition_facts` gathers what the rule table judges (policy status of the partner, the
last recorded step, the legal facts); `steps.py` adds a decision document in the same
transaction, `guidance.py` asks the same facts to explain each possible step."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import directives, lifecycle, permission_requests, step_facts
from citydiplomacy.agreements.errors import RuleViolation
from citydiplomacy.agreements.legal_profiles import active_profile
from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Agreement, AgreementEvent, DatePrecision, Document
from citydiplomacy.agreements.partner_country import is_foreign, policy_country_of
from citydiplomacy.agreements.rules import add_years
from citydiplomacy.agreements.validation import (
    compare_and_swap,
    parse_date,
    today,
    validate_agreement,
)
from citydiplomacy.governments.models import GovernmentKind
from citydiplomacy.policy import selectors as policy


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



@transaction.atomic
def transition(agreement: Agreement, *, actor, to: str, on, reason: str = "", reference: str = "",
               final_on=None, clearance: str = "", place: str = "", document: Document | None = None,
               version=None) -> Agreement:
    """Move an agreement to state `to` on date `on`, if the rule table allows it.

    Records an AgreementEvent (who, when, from, to, reason, reference, document); raises
    RuleViolation naming the blocking rule, PermissionDenied when the actor's role may not
    fire this transition, StaleVersion when `version` is given and stale.
    """
    on = parse_date(on, "date")
    final_on = parse_date(final_on, "final_on")
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
        compare_and_swap(Agreement, agreement.pk, version)
    else:
        Agreement.objects.filter(pk=agreement.pk).update(version=agreement.version + 1)
    agreement.version = Agreement.objects.values_list("version", flat=True).get(pk=agreement.pk)
    _apply_transition(agreement, to, on, reference=reference, reason=reason, final_on=final_on,
                      clearance=clearance, place=place)
    validate_agreement(agreement)
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

