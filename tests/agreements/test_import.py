"""Rule 6: İBB's historical relations enter in their known state, flagged as imported."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.core.management import call_command

from citydiplomacy.agreements.models import Activity, Agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CSV = settings.DATA_DIR / "istanbul" / "istanbul_relations.csv"


def test_vendored_file_matches_its_provenance():
    digest = hashlib.sha256(CSV.read_bytes()).hexdigest()
    assert digest in (CSV.parent / "PROVENANCE.md").read_text()


def test_import_command_is_idempotent_and_keeps_known_states(istanbul, policy_tables):
    call_command("import-relations", str(CSV), organisation=str(istanbul.pk))
    call_command("import-relations", str(CSV), organisation=str(istanbul.pk))
    agreements = Agreement.objects.filter(organisation=istanbul)
    assert agreements.count() == 45 and all(a.is_imported for a in agreements)
    assert agreements.filter(instrument="twinning", state="active").count() >= 40
    rotterdam = agreements.get(partner__name="Rotterdam")
    assert (str(rotterdam.signed_on), str(rotterdam.ended_on), rotterdam.state) == ("2005-06-24", "2017-03-15", "terminated")
    gaza = agreements.get(partner__name="Gaza City")
    assert (gaza.state, str(gaza.council_decision_on), gaza.signed_on) == ("council_approved", "2025-10-15", None)
    tdbb = agreements.get(instrument="membership")
    assert tdbb.partner_organisation.acronym == "TDBB" and tdbb.state == "terminated"
    assert agreements.get(instrument="cooperation_protocol").partner.name == "Paris"
    assert agreements.get(instrument="memorandum_of_understanding").partner.name == "Tbilisi"
    cairo = agreements.get(partner__name="Cairo")
    assert cairo.signed_on_precision == "year"
    assert not Activity.objects.exists()  # no invented activities
    # imported records are never shown as verified: one "imported" event, no steps
    assert [e.kind for e in rotterdam.events.all()] == ["imported"]


def test_northern_cyprus_partner_is_not_the_republic_of_cyprus(istanbul, policy_tables, users, api_client_for):
    call_command("import-relations", str(CSV), organisation=str(istanbul.pk))
    nicosia = Agreement.objects.get(partner__name="Nicosia Turkish Municipality")
    detail = api_client_for("viewer").get(f"/api/agreements/{nicosia.pk}/").json()
    assert nicosia.partner.country_code == "XC" and not detail["needs_review"] and "needs_review" not in detail["flags"]
    listing = api_client_for("viewer").get("/api/agreements/?partner_country=CY").json()
    assert listing["count"] == 0


def test_bad_rows_import_nothing(istanbul, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.read_text().splitlines()[0] + "\nAtlantis,Nowhereland,twinning,,2001-01-01,active,,,x\n")
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="Nowhereland"):
        call_command("import-relations", str(bad), organisation=str(istanbul.pk))
    assert not Agreement.objects.exists()
