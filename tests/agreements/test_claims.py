"""Reported ties of the world list offered to an organisation to claim or dispute (agreements.claims)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from citydiplomacy.agreements import claims
from citydiplomacy.agreements.models import Agreement, AgreementEvent, ReportedTieDecision
from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.places.models import ReportedTie

pytestmark = pytest.mark.django_db


def _lg(name, country, lat=None, lon=None, **extra):
    return LocalGovernment.objects.create(name=name, kind="municipality", country_code=country,
                                          latitude=lat, longitude=lon, **extra)


def _tie(a, b):
    low, high = sorted((a, b), key=lambda lg: lg.pk)
    return ReportedTie.objects.create(low=low, high=high, source="twincities.csv")


@pytest.fixture
def bursa():
    return LocalGovernment.objects.create(
        name="Bursa Büyükşehir Belediyesi", kind=GovernmentKind.METROPOLITAN_MUNICIPALITY,
        country_code="TR", official_code="TR-16", latitude=40.19, longitude=29.06)


def test_a_town_of_the_list_stands_for_the_council_named_after_it(bursa):
    town = _lg("Bursa", "TR", 40.1956, 29.0601)
    far_namesake = _lg("Bursa", "TR", 37.0, 35.3)  # another place, 500 km away
    assert {lg.pk for lg in claims.counterparts(bursa)} == {bursa.pk, town.pk}
    assert far_namesake.pk not in {lg.pk for lg in claims.counterparts(bursa)}


def test_ties_are_offered_until_answered_and_never_claimed_automatically(bursa, users):
    town = _lg("Bursa", "TR", 40.1956, 29.0601)
    kobe, sarajevo = _lg("Kobe", "JP", 34.69, 135.19), _lg("Sarajevo", "BA", 43.85, 18.36)
    tie_kobe, tie_sarajevo = _tie(town, kobe), _tie(town, sarajevo)
    assert [item.partner.name for item in claims.ties_to_claim(bursa)] == ["Sarajevo", "Kobe"]
    assert not Agreement.objects.filter(organisation=bursa).exists()

    officer = users["officer"]
    officer.organisation = bursa
    officer.save()
    agreement = claims.claim_tie(actor=officer, organisation=bursa, tie_id=tie_kobe.pk)
    assert agreement.partner == kobe and agreement.is_imported and agreement.state == "active"
    assert AgreementEvent.objects.get(agreement=agreement).kind == AgreementEvent.Kind.IMPORTED
    with pytest.raises(ValidationError):
        claims.dispute_tie(actor=officer, organisation=bursa, tie_id=tie_sarajevo.pk, reason=" ")
    claims.dispute_tie(actor=officer, organisation=bursa, tie_id=tie_sarajevo.pk, reason="not ours")
    assert claims.ties_to_claim(bursa) == []
    assert ReportedTieDecision.objects.filter(organisation=bursa).count() == 2
    with pytest.raises(ValidationError):  # answered once only
        claims.claim_tie(actor=officer, organisation=bursa, tie_id=tie_kobe.pk)


def test_only_the_organisations_editors_answer(istanbul, users):
    partner = _lg("Bordeaux", "FR", 44.84, -0.58)
    tie = _tie(istanbul, partner)
    for role in ("viewer", "approver", "other_officer", "oversight"):
        with pytest.raises(PermissionDenied):
            claims.claim_tie(actor=users[role], organisation=istanbul, tie_id=tie.pk)
    assert not Agreement.objects.exists()


def test_the_page_lists_offered_ties_in_turkish_and_claims_one(client_for, istanbul, users):
    partner = _lg("Bordeaux", "FR", 44.84, -0.58)
    tie = _tie(istanbul, partner)
    client = client_for("officer")
    page = client.get(reverse("agreements:reported-ties"), HTTP_ACCEPT_LANGUAGE="tr")
    assert "Bordeaux" in page.content.decode() and "Fransa" in page.content.decode()
    answer = client.post(reverse("agreements:reported-tie-answer", args=[tie.pk]),
                         {"decision": "claim"})
    agreement = Agreement.objects.get(organisation=istanbul, partner=partner)
    assert answer.status_code == 302 and answer["Location"] == reverse("agreements:detail", args=[agreement.pk])
