"""Workflow guidance (a selector): which lifecycle steps a user can take now, which not and
why, and who the agreement is waiting for.

Every reason comes from the one rule table (`lifecycle.check` through
`transitions.transition_facts`) and the role check from `accounts.permissions`; nothing here
repeats a rule. A step is *possible now* when the only open violations are those the step's
form supplies (the date, the decision reference, the reason, the date the council decision
became final).

`queue_for(user)` lists what waits for the user's role: for approvers the agreements before
the council or the ministry, for officers the ones whose next step is theirs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle, transitions
from citydiplomacy.agreements.lifecycle import DECIDE, State
from citydiplomacy.agreements.models import Agreement, AgreementEvent, Document

# Violations that the step's own form answers (so they do not make a step impossible).
FORM_SUPPLIED = frozenset({"lifecycle.council_reference_required", "lifecycle.reason_required",
                           "lifecycle.date_in_future", "lifecycle.date_before_previous_step"})
FINAL_DATE_RULE = "law5393.council_decision_not_final"
# The decision a step records, and the document that proves it (attachable at the step).
DECISION_DOCUMENT = {
    State.COUNCIL_APPROVED: Document.Kind.COUNCIL_DECISION,
    State.COUNCIL_REJECTED: Document.Kind.COUNCIL_DECISION,
    State.PERMISSION_GRANTED: Document.Kind.MINISTRY_PERMISSION,
    State.PERMISSION_DENIED: Document.Kind.MINISTRY_PERMISSION,
    State.SUSPENDED: Document.Kind.COUNCIL_DECISION,
    State.TERMINATED: Document.Kind.COUNCIL_DECISION,
}
# Who takes the decision that an approver records, by the state the agreement waits in.
DECIDING_BODY = {
    State.IN_COMMITTEE: gettext_lazy("the municipal council"),
    State.PERMISSION_REQUESTED: gettext_lazy("the ministry"),
}
# States in which an agreement waits for someone's next step (not yet in force).
WAITING_STATES = lifecycle.IN_PROGRESS | {State.SIGNED}


@dataclass
class Step:
    to: str
    label: str
    rule: lifecycle.Transition
    possible: bool
    reasons: list[str] = field(default_factory=list)
    asks_final_on: bool = False     # the form offers the date the council decision became final
    needs_final_on: bool = False    # ... and the step cannot pass without it
    asks_place: bool = False
    document_kind: str = ""        # the decision document that may be attached here
    help: str = ""

    @property
    def document_kind_label(self) -> str:
        return str(Document.Kind(self.document_kind).label) if self.document_kind else ""


def _state_label(state: str) -> str:
    return lifecycle.state_label(state)


def _role_reason(needs: str) -> str:
    if needs == lifecycle.AUTHORITY:
        if permissions.authority_decides_in_system():
            return _("Recorded by the permitting authority (the ministry) in the system.")
        return _("Recorded by an approver from the ministry's letter.")
    if needs in (DECIDE, lifecycle.AUTHORITY_OR_DECIDE):
        return _("Recorded by an approver (council and ministry decisions, suspension, termination).")
    return _("Recorded by an officer of the organisation.")


def may_act(user, agreement: Agreement) -> bool:
    """May the user take any lifecycle step of this agreement (edit or decide rights)?"""
    return (permissions.can_edit_organisation(user, agreement.organisation_id)
            or permissions.can_decide_for_organisation(user, agreement.organisation_id))


def steps_for(user, agreement: Agreement, *, on: dt.date | None = None) -> list[Step]:
    """Every step of the rule table from the agreement's state, each possible or not (with the
    reasons); empty for archived agreements and for users who may take no step at all."""
    if agreement.archived_at or not may_act(user, agreement):
        return []
    on = on or timezone.localdate()
    steps = []
    base = None  # the facts differ only in the target: read them once per agreement
    for target in lifecycle.targets_from(agreement.state):
        rule = lifecycle.rule_for(agreement.state, target)
        if base is None:
            base = transitions.transition_facts(agreement, target, on, reference="-", reason="-")
        facts = dataclasses.replace(base, target=target)
        violations = lifecycle.check(facts)
        asks_final_on = (target in (State.COUNCIL_APPROVED, State.PERMISSION_REQUESTED, State.SIGNED)
                         and not agreement.council_decision_final_on)
        needs_final_on = any(v.rule == FINAL_DATE_RULE for v in violations) and asks_final_on
        reasons = [v.message for v in violations
                   if v.rule not in FORM_SUPPLIED and not (v.rule == FINAL_DATE_RULE and asks_final_on)]
        if not permissions.can_fire_transition(user, agreement.organisation_id, rule.needs):
            reasons.append(_role_reason(rule.needs))
        help_text = ""
        if target == State.COUNCIL_APPROVED:
            help_text = _("The date the council decision becomes final will be needed before the "
                          "ministry is asked or the agreement is signed; give it now if it is known.")
        elif needs_final_on:
            help_text = _("Give the date the council decision became final: this step needs it.")
        steps.append(Step(
            to=target, label=_state_label(target), rule=rule, possible=not reasons, reasons=reasons,
            asks_final_on=asks_final_on, needs_final_on=needs_final_on,
            asks_place=target == State.SIGNED, document_kind=DECISION_DOCUMENT.get(target, ""),
            help=help_text))
    return sorted(steps, key=lambda s: not s.possible)


def waiting_note(user, agreement: Agreement) -> str:
    """Who the agreement waits for, when that is not the user (empty otherwise)."""
    state = agreement.state
    if agreement.archived_at or state not in WAITING_STATES:
        return ""
    rules = [lifecycle.rule_for(state, t) for t in lifecycle.targets_from(state)]
    if not rules:
        return ""
    # the user's own next step (any of them) means nothing to wait for
    if any(permissions.can_fire_transition(user, agreement.organisation_id, r.needs) for r in rules):
        return ""
    if state == State.PERMISSION_REQUESTED:
        days = (timezone.localdate() - agreement.permission_requested_on).days \
            if agreement.permission_requested_on else None
        authority = str(agreement.permitting_authority or _("the ministry"))
        who = (_("The ministry records its decision in the system.")
               if permissions.authority_decides_in_system()
               else _("An approver records the decision."))
        if days is not None:
            return _("Waiting for the ministry's decision (%(authority)s), asked %(days)d days ago. "
                     "%(who)s") % {"authority": authority, "days": days, "who": who}
        return _("Waiting for the ministry's decision (%(authority)s). %(who)s") % {
            "authority": authority, "who": who}
    if state in DECIDING_BODY:
        return _("Waiting for the decision of %(body)s. An approver records it.") % {
            "body": DECIDING_BODY[state]}
    return _("The next step (%(steps)s) is recorded by an officer of the organisation.") % {
        "steps": ", ".join(_state_label(r.target) for r in rules if r.needs == lifecycle.EDIT)}


@dataclass
class QueueItem:
    agreement: Agreement
    since: dt.date | None
    days: int | None
    waiting_for: str


def _entered_state_on(agreement_ids: list[int]) -> dict[int, dt.date]:
    """The date of each agreement's latest recorded step (the day it entered its state)."""
    found: dict[int, dt.date] = {}
    for pk, occurred in (AgreementEvent.objects.filter(agreement_id__in=agreement_ids)
                         .order_by("agreement_id", "recorded_at", "id")
                         .values_list("agreement_id", "occurred_on")):
        if occurred:
            found[pk] = occurred
    return found


def queue_for(user, *, state: str | None = None) -> list[QueueItem]:
    """Agreements of the user's organisation whose next step the user's role records, oldest
    first (approvers: council and ministry decisions; officers: drafting, asking, signing)."""
    from citydiplomacy.agreements.selectors import agreements_for

    organisation_id = permissions.organisation_id_of(user)
    if organisation_id is None:
        return []
    states = [s for s in WAITING_STATES if any(
        permissions.can_fire_transition(user, organisation_id, lifecycle.rule_for(s, t).needs)
        for t in lifecycle.targets_from(s))]
    if state:
        states = [s for s in states if s == state]
    agreements = list(agreements_for(user).filter(organisation_id=organisation_id, state__in=states))
    entered = _entered_state_on([a.pk for a in agreements])
    today = timezone.localdate()
    items = []
    for agreement in agreements:
        since = (agreement.permission_requested_on if agreement.state == State.PERMISSION_REQUESTED
                 else None) or entered.get(agreement.pk)
        body = DECIDING_BODY.get(agreement.state)
        items.append(QueueItem(agreement=agreement, since=since,
                               days=(today - since).days if since else None,
                               waiting_for=str(body) if body else _state_label(agreement.state)))
    return sorted(items, key=lambda i: (i.since or dt.date.max, i.agreement.pk))


def open_permission_requests(user) -> dict:
    """Every open ministry permission request the user may read, with the oldest one's age."""
    from citydiplomacy.agreements.selectors import agreements_for

    dates = list(agreements_for(user).filter(state=State.PERMISSION_REQUESTED)
                 .values_list("permission_requested_on", flat=True))
    known = [d for d in dates if d]
    return {"count": len(dates),
            "oldest_days": (timezone.localdate() - min(known)).days if known else None}
