"""The network fingerprint is kept in Django's cache under a cheap change key: computed again
only after a change to its inputs (analytics/network_inputs.py)."""

from __future__ import annotations

import pytest

from citydiplomacy.agreements.services import create_agreement
from citydiplomacy.agreements.transitions import transition
from citydiplomacy.analytics import network_inputs

pytestmark = pytest.mark.django_db


def test_fingerprint_is_computed_again_only_after_a_change(ibb_relations, users, monkeypatch):
    computed = []
    real = network_inputs.network_fingerprint
    monkeypatch.setattr(network_inputs, "network_fingerprint", lambda: computed.append(1) or real())
    first = network_inputs.current_fingerprint()
    assert network_inputs.current_fingerprint() == first and len(computed) == 1
    partner = ibb_relations.filter(partner__isnull=False).first().partner
    letter = create_agreement(actor=users["officer"], instrument="letter_of_goodwill",
                              partner=partner, title="Letter")
    network_inputs.current_fingerprint()
    assert len(computed) == 2  # a new agreement moved the change key
    transition(letter, actor=users["officer"], to="signed", on="2025-01-15")
    assert network_inputs.current_fingerprint() == real()
    assert len(computed) == 3
