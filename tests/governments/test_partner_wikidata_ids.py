"""The demo's sourced Wikidata ids of İBB's partners: loaded without a network, never guessed,
and the İBB QuickStatements export then has one well-formed line pair per such twinning."""

from __future__ import annotations

import csv

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from citydiplomacy.governments.models import WIKIDATA_ID_PATTERN
from citydiplomacy.governments.services import load_partner_wikidata_ids

DATA = settings.DATA_DIR / "istanbul" / "partner_wikidata.csv"


def test_every_row_has_a_valid_id_a_source_and_a_known_partner():
    import re

    relations_file = settings.DATA_DIR / "istanbul" / "istanbul_relations.csv"
    relations = {r["partner"] for r in csv.DictReader(relations_file.read_text(encoding="utf-8").splitlines())}
    rows = list(csv.DictReader(DATA.read_text(encoding="utf-8").splitlines()))
    assert len(rows) >= 15
    for row in rows:
        assert re.match(WIKIDATA_ID_PATTERN, row["wikidata_id"]) and row["source"].startswith("https://")
        assert row["partner"] in relations
    assert len({r["wikidata_id"] for r in rows}) == len(rows)


@pytest.mark.django_db
def test_demo_ids_make_the_quickstatements_export_non_empty(istanbul):
    from citydiplomacy.agreements.models import Agreement
    from citydiplomacy.agreements.relations_import import import_relations
    from citydiplomacy.analytics import exports
    from tests.analytics.test_wikidata_and_junk import parse_quickstatement

    istanbul.wikidata_id = "Q406"
    istanbul.save()
    import_relations(settings.DATA_DIR / "istanbul" / "istanbul_relations.csv", organisation=istanbul)
    counts = load_partner_wikidata_ids(DATA, istanbul)
    assert counts["set"] >= 15 and counts["unmatched"] == 0
    assert load_partner_wikidata_ids(DATA, istanbul)["already"] == counts["set"]  # idempotent
    ties = Agreement.objects.filter(organisation=istanbul).select_related("organisation", "partner")
    lines, skipped = exports.quickstatements(ties)
    with_ids = [a for a in ties if a.instrument == "twinning" and a.partner and a.partner.wikidata_id
                and a.state in ("signed", "active", "suspended", "expired", "terminated")]
    assert len(lines) == 2 * len(with_ids) and len(with_ids) >= 15
    for line in lines:
        parse_quickstatement(line)
    assert all("no Wikidata id" in str(s["reason"]) or "Wikidata kimliği" in str(s["reason"]) for s in skipped)


@pytest.mark.django_db
def test_a_malformed_id_refuses_the_whole_file(istanbul, tmp_path):
    bad = tmp_path / "ids.csv"
    bad.write_text("partner,partner_country,wikidata_id,source\nAlmaty,Kazakhstan,Q35493,https://x\n"
                   "Amman,Jordan,Q12x,https://x\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        load_partner_wikidata_ids(bad, istanbul)
