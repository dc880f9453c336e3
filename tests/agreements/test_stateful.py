"""Acceptance 1: random sequences of API transitions (and policy changes) never let a foreign
twinning reach `signed` without a final council decision and a granted permission, and never
approve or sign one while its country is frozen or has no diplomatic relations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from rest_framework.test import APIClient

from citydiplomacy.agreements.lifecycle import State, targets_from
from citydiplomacy.agreements.models import Agreement, AgreementEvent
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.models import BLOCKING_STATUSES, CountryRelation
from citydiplomacy.policy.selectors import status_on

ROLES = ("officer", "approver", "admin", "viewer")
REACHED: set[str] = set()
GATED = {State.COUNCIL_APPROVED, State.PERMISSION_GRANTED, State.SIGNED}


class TwinningMachine(RuleBasedStateMachine):
    users: dict = {}

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.clients = {}
        for role in ROLES:
            client = APIClient()
            client.force_authenticate(self.users[role])
            self.clients[role] = client
        self.day = dt.date(2016, 1, 1)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize(country=st.sampled_from(["NL", "DE", "AM", "CY"]))
    def create(self, country):
        partner = LocalGovernment.objects.create(name=f"Partner {country}", country_code=country)
        response = self.clients["officer"].post("/api/agreements/", {
            "instrument": "twinning", "partner": partner.pk, "title": "Random twinning"}, format="json")
        assert response.status_code == 201, response.json()
        self.pk = response.json()["id"]
        self.country = country

    @rule(status=st.sampled_from(["normal", "frozen", "no_relations", "restricted"]),
          lasts=st.one_of(st.none(), st.integers(0, 120)))
    def change_policy(self, status, lasts):
        self.day += dt.timedelta(days=1)  # policy is never changed retroactively
        valid_to = self.day + dt.timedelta(days=lasts) if lasts is not None else None
        CountryRelation.objects.create(country_code=self.country, status=status,
                                       valid_from=self.day, valid_to=valid_to)

    @rule(to=st.one_of(st.sampled_from(State.values), st.just("next")), role=st.sampled_from(ROLES), wait=st.integers(0, 40),
          reference=st.sampled_from(["", "2019/7"]), reason=st.sampled_from(["", "because"]),
          final_after=st.one_of(st.none(), st.integers(-5, 20)),
          clearance=st.sampled_from(["", "MFA-1"]))
    def fire(self, to, role, wait, reference, reason, final_after, clearance):
        self.day += dt.timedelta(days=wait)
        if to == "next":  # walk the table forward so that long chains are actually explored
            state = Agreement.objects.get(pk=self.pk).state
            targets = targets_from(state)
            final_after = 0 if state in (State.IN_COMMITTEE, State.COUNCIL_APPROVED) else None
            if not targets:
                return
            to = targets[0] if targets[0] != State.SIGNED or len(targets) == 1 else targets[-1]
            role, reference, reason = "admin", "2019/7", "because"
        payload = {"to": to, "date": self.day.isoformat(), "reference": reference, "reason": reason,
                   "clearance": clearance}
        if final_after is not None:
            payload["final_on"] = (self.day + dt.timedelta(days=final_after)).isoformat()
        response = self.clients[role].post(f"/api/agreements/{self.pk}/transition/", payload, format="json")
        assert response.status_code in (200, 400, 403, 409), response.content
        if response.status_code == 409:
            assert response.json()["error"]["rule"]
        if response.status_code == 200:
            REACHED.add(response.json()["status"])

    @invariant()
    def no_foreign_twinning_signed_without_final_decision_and_permission(self):
        if not hasattr(self, "pk"):
            return
        agreement = Agreement.objects.get(pk=self.pk)
        events = list(AgreementEvent.objects.filter(agreement_id=self.pk).order_by("recorded_at", "id"))
        targets = [e.to_state for e in events]
        if State.SIGNED in targets:
            signed = events[targets.index(State.SIGNED)]
            before = targets[:targets.index(State.SIGNED)]
            assert State.COUNCIL_APPROVED in before and State.PERMISSION_GRANTED in before
            assert agreement.council_decision_final_on is not None
            assert agreement.council_decision_final_on <= signed.occurred_on
            assert agreement.permission_granted is True
        for event in events:
            if event.to_state in GATED:
                assert status_on(self.country, event.occurred_on) not in BLOCKING_STATUSES, event.to_state


@pytest.mark.django_db
def test_random_transition_sequences_respect_the_law_and_the_policy(users, policy_tables):
    TwinningMachine.users = users
    run_state_machine_as_test(TwinningMachine, settings=settings(
        max_examples=15, stateful_step_count=16, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    # the random walks did explore the whole cycle, including refusals by the policy
    assert {State.SIGNED, State.PERMISSION_GRANTED, State.COUNCIL_APPROVED} <= REACHED
