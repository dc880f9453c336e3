"""Demo step: the policy tables and İBB's real relations, through the normal import path."""

from __future__ import annotations

from django.conf import settings

from citydiplomacy.agreements.relations_import import import_relations
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.governments.services import load_partner_wikidata_ids
from citydiplomacy.policy.services import load_policy_tables

IBB_GEONAMEID = 745044


def load_demo(stdout, options) -> None:
    """Idempotent: loads data/policy/*.csv, data/istanbul/istanbul_relations.csv and its partners'
    Wikidata ids (data/istanbul/partner_wikidata.csv)."""
    counts = load_policy_tables()
    stdout.write(f"Policy tables: {counts['country_relations']} new country rows, "
                 f"{counts['permitting_authorities']} new permitting authorities.")
    ibb = LocalGovernment.objects.filter(geonameid=IBB_GEONAMEID).first()
    if ibb is None:
        stdout.write("İBB is not in the registry; skipping its relations.")
        return
    report = import_relations(settings.DATA_DIR / "istanbul" / "istanbul_relations.csv", organisation=ibb)
    stdout.write(f"İBB relations: {report.created} imported, {report.existing} already there.")
    ids = load_partner_wikidata_ids(settings.DATA_DIR / "istanbul" / "partner_wikidata.csv", ibb)
    stdout.write(f"İBB partners' Wikidata ids: {ids['set']} set, {ids['already']} already there, "
                 f"{ids['different']} kept (another id), {ids['unmatched']} unmatched.")
