"""The network fingerprint is computed by the worker, never by a page: a page asks for the
fingerprint of the current change key and gets None after a change until the worker has
looked again (analytics/network_inputs.py, analytics/tasks.py)."""

from __future__ import annotations

import pytest

from citydiplomacy.agreements.services import create_agreement
from citydiplomacy.agreements.transitions import transition
from citydiplomacy.analytics import network_inputs, selectors
from citydiplomacy.analytics.tasks import refresh_network_results

pytestmark = pytest.mark.django_db


def test_pages_never_compute_the_fingerprint(ibb_relations, users, monkeypatch):
    real = network_inputs.network_fingerprint
    assert network_inputs.current_fingerprint() is None  # the worker has not looked yet
    recorded = network_inputs.record_fingerprint()
    assert recorded == real() and network_inputs.current_fingerprint() == recorded

    def refuse():
        raise AssertionError("fingerprint computed by a page")

    monkeypatch.setattr(network_inputs, "network_fingerprint", refuse)
    partner = ibb_relations.filter(partner__isnull=False).first().partner
    letter = create_agreement(actor=users["officer"], instrument="letter_of_goodwill",
                              partner=partner, title="Letter")
    assert network_inputs.current_fingerprint() is None  # a new agreement moved the change key
    assert selectors.network_summary().updating
    monkeypatch.setattr(network_inputs, "network_fingerprint", real)
    transition(letter, actor=users["officer"], to="signed", on="2025-01-15")
    assert network_inputs.record_fingerprint() == real() == network_inputs.current_fingerprint()


def test_the_task_keeps_the_results_when_the_ties_are_as_they_were(ibb_relations, users, monkeypatch):
    refresh_network_results.call()
    before = selectors.network_summary()
    assert not before.updating
    partner = ibb_relations.filter(partner__isnull=False).first().partner
    create_agreement(actor=users["officer"], instrument="letter_of_goodwill", partner=partner,
                     title="A draft changes no tie")
    assert selectors.network_summary().updating

    def refuse(*args, **kwargs):
        raise AssertionError("network statistics computed again for the same ties")

    monkeypatch.setattr("citydiplomacy.analytics.tasks.compute_network_results", refuse)
    refresh_network_results.call()
    after = selectors.network_summary()
    assert not after.updating and after.computed_at == before.computed_at
    assert after.value == before.value
