"""The gate cannot be edited around (issue 19 item 1, finding F1): random sequences of registry
edits, identity corrections, policy changes and lifecycle transitions, through the API.

Invariants, checked after every step:
- a direct edit of a partner's or an organisation's identity never changes it (400/403);
- every step to council approval, permission, signed or active passed every rule of
  agreements.lifecycle on the facts that held at that step: the partner's country and the
  organisation's kind as this machine knows them (changed only by an accepted correction),
  the policy status of that country on the step's date, the decisions before it;
- the facts recorded with the step (AgreementEvent.facts) are those facts;
- after an accepted correction, every tie in force with a country now blocked is flagged.

Runnable alone (the reliability scenario calls it):
    PYTHONPATH=src DEBUG=1 .venv/bin/pytest -q -p no:cacheprovider tests/agreements/test_gate_hypothesis.py
GATE_EXAMPLES and GATE_STEPS (environment) raise the number of sequences and their length.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient

from citydiplomacy.agreements import lifecycle, step_facts
from citydiplomacy.agreements.lifecycle import Instrument, State, targets_from
from citydiplomacy.agreements.models import Agreement, AgreementEvent
from citydiplomacy.agreements.selectors import row_of
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.models import BLOCKING_STATUSES, CountryRelation
from citydiplomacy.policy.selectors import status_on

ROLES = ("officer", "approver", "admin", "viewer", "other_officer")
COUNTRIES = ("NL", "DE", "AM", "CY", "XC", "TR")
KINDS = ("metropolitan_municipality", "special_provincial_administration")
INSTRUMENTS = (Instrument.TWINNING, Instrument.COOPERATION_PROTOCOL, Instrument.MEMORANDUM,
               Instrument.LETTER_OF_GOODWILL)
CHECKED = {State.COUNCIL_APPROVED, State.PERMISSION_REQUESTED, State.PERMISSION_GRANTED,
           State.SIGNED, State.ACTIVE}
REACHED: set[str] = set()


@dataclasses.dataclass
class Step:
    """A step taken, with the facts that held when it was taken (this machine's own record)."""

    event_id: int
    to: str
    on: dt.date
    country: str
    organisation_kind: str


class GateMachine(RuleBasedStateMachine):
    users: dict = {}

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.clients = {}
        for role in (*ROLES, "oversight"):
            client = APIClient()
            client.force_authenticate(self.users[role])
            self.clients[role] = client
        self.organisation = self.users["officer"].organisation
        self.organisation_kind = self.organisation.kind
        self.day = dt.date(2016, 1, 1)
        self.steps: list[Step] = []

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize(country=st.sampled_from(COUNTRIES), instrument=st.sampled_from(INSTRUMENTS))
    def create(self, country, instrument):
        self.partner = LocalGovernment.objects.create(
            name=f"Partner {country}", country_code=country, kind="municipality")
        self.country = country
        response = self.clients["officer"].post("/api/agreements/", {
            "instrument": instrument, "partner": self.partner.pk, "title": "Random tie"},
            format="json")
        assert response.status_code in (201, 400), response.json()
        self.pk = response.json()["id"] if response.status_code == 201 else None

    # --- what an officer might try: edit the facts directly -----------------------------------
    @rule(role=st.sampled_from(("officer", "admin", "other_officer", "approver")),
          record=st.sampled_from(("partner", "organisation")),
          change=st.sampled_from([{"country_code": c} for c in COUNTRIES]
                                 + [{"kind": k} for k in (*KINDS, "municipality")]
                                 + [{"geonameid": 616052}, {"latitude": 40.0}]))
    def edit_identity(self, role, record, change):
        government = self.partner if record == "partner" else self.organisation
        before = LocalGovernment.objects.values(*change).get(pk=government.pk)
        response = self.clients[role].patch(f"/api/local-governments/{government.pk}/", change,
                                            format="json")
        after = LocalGovernment.objects.values(*change).get(pk=government.pk)
        assert after == before, (role, record, change, response.status_code)
        if after != {field: value for field, value in change.items()}:
            assert response.status_code in (400, 403), (role, record, change, response.json())

    # --- the lawful way: a proposal a steward decides ----------------------------------------------
    @rule(country=st.sampled_from(COUNTRIES), accept=st.booleans())
    def correct_partner(self, country, accept):
        response = self.clients["officer"].post("/api/identity-corrections/", {
            "government": self.partner.pk, "changes": {"country_code": country},
            "reason": "gazetteer"}, format="json")
        if country == self.country:
            assert response.status_code == 400  # a proposal that changes nothing
            return
        assert response.status_code == 201, response.json()
        self._decide(response.json()["id"], "oversight", accept, country=country)

    @rule(kind=st.sampled_from(KINDS), accept=st.booleans())
    def correct_organisation(self, kind, accept):
        response = self.clients["admin"].post("/api/identity-corrections/", {
            "government": self.organisation.pk, "changes": {"kind": kind},
            "reason": "official register"}, format="json")
        if kind == self.organisation_kind:
            assert response.status_code == 400
            return
        assert response.status_code == 201, response.json()
        self._decide(response.json()["id"], "admin", accept, kind=kind)

    def _decide(self, pk, steward, accept, *, country=None, kind=None):
        # those who may not decide are refused whatever they send
        assert self.clients["officer"].post(f"/api/identity-corrections/{pk}/accept/").status_code == 403
        verb = "accept" if accept else "reject"
        response = self.clients[steward].post(f"/api/identity-corrections/{pk}/{verb}/")
        assert response.status_code == 200, response.json()
        if not accept:
            return
        if country:
            self.country = country
        if kind:
            self.organisation_kind = kind
        if self.pk is None:
            return
        tie = Agreement.objects.get(pk=self.pk)
        if tie.state in lifecycle.IN_FORCE:
            blocked = status_on(self.country, dt.date.today()) in BLOCKING_STATUSES
            assert row_of(tie).needs_review == blocked, (self.country, tie.state)

    @rule(status=st.sampled_from(["normal", "frozen", "no_relations", "restricted"]),
          lasts=st.one_of(st.none(), st.integers(0, 120)))
    def change_policy(self, status, lasts):
        self.day += dt.timedelta(days=1)  # policy is never changed retroactively
        valid_to = self.day + dt.timedelta(days=lasts) if lasts is not None else None
        CountryRelation.objects.create(country_code=self.country, status=status,
                                       valid_from=self.day, valid_to=valid_to)

    # --- the lifecycle ------------------------------------------------------------------------------
    @precondition(lambda self: self.pk is not None)
    @rule(to=st.one_of(st.sampled_from(State.values), st.just("next")),
          role=st.sampled_from(ROLES), wait=st.integers(0, 40),
          reference=st.sampled_from(["", "2019/7"]), reason=st.sampled_from(["", "because"]),
          final_after=st.one_of(st.none(), st.integers(-5, 20)),
          clearance=st.sampled_from(["", "MFA-1"]))
    def fire(self, to, role, wait, reference, reason, final_after, clearance):
        self.day += dt.timedelta(days=wait)
        if to == "next":  # walk the table forward so that long chains are explored
            state = Agreement.objects.get(pk=self.pk).state
            targets = [t for t in targets_from(state) if t != State.PERMISSION_DENIED]
            if not targets:
                return
            final_after = 0 if state in (State.IN_COMMITTEE, State.COUNCIL_APPROVED) else None
            to = targets[0] if targets[0] != State.SIGNED or len(targets) == 1 else targets[-1]
            role, reference, reason = "admin", "2019/7", "because"
        payload = {"to": to, "date": self.day.isoformat(), "reference": reference,
                   "reason": reason, "clearance": clearance}
        if final_after is not None:
            payload["final_on"] = (self.day + dt.timedelta(days=final_after)).isoformat()
        response = self.clients[role].post(f"/api/agreements/{self.pk}/transition/", payload,
                                           format="json")
        assert response.status_code in (200, 400, 403, 404, 409), response.content
        if response.status_code == 200:
            REACHED.add(to)
            event = AgreementEvent.objects.filter(agreement_id=self.pk).latest("id")
            assert event.to_state == to
            self.steps.append(Step(event.pk, to, self.day, self.country, self.organisation_kind))

    # --- invariants ---------------------------------------------------------------------------------
    @invariant()
    def identity_only_changes_by_decision(self):
        if not hasattr(self, "partner"):
            return
        assert LocalGovernment.objects.get(pk=self.partner.pk).country_code == self.country
        assert LocalGovernment.objects.get(pk=self.organisation.pk).kind == self.organisation_kind

    @invariant()
    def every_step_passed_every_rule_on_the_facts_of_its_day(self):
        for taken in self.steps:
            if taken.to not in CHECKED:
                continue
            event = AgreementEvent.objects.get(pk=taken.event_id)
            recorded = event.facts
            assert recorded["partner"]["country_code"] == taken.country
            assert recorded["organisation"]["kind"] == taken.organisation_kind
            facts = dataclasses.replace(
                step_facts.rule_facts(recorded),
                country_code=taken.country, foreign=taken.country != "TR",
                policy_status=status_on(taken.country, taken.on),
                special_provincial_administration=(
                    taken.organisation_kind == "special_provincial_administration"))
            assert recorded["policy"]["status"] == facts.policy_status
            assert lifecycle.check(facts) == [], (taken, lifecycle.check(facts))


@pytest.mark.django_db
def test_no_tie_passes_a_gate_on_edited_facts(users, policy_tables):
    GateMachine.users = users
    run_state_machine_as_test(GateMachine, settings=settings(
        max_examples=int(os.environ.get("GATE_EXAMPLES", "20")),
        stateful_step_count=int(os.environ.get("GATE_STEPS", "20")),
        deadline=None, derandomize=not os.environ.get("GATE_RANDOM"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    # the sequences explored the gated part of the cycle
    assert {State.COUNCIL_APPROVED, State.SIGNED} <= REACHED
