"""Türkiye's municipalities from the vendored, sourced file (governments.municipalities)."""

import csv
import shutil

import pytest
from django.core.exceptions import ValidationError

from citydiplomacy.governments.models import GovernmentKind, LocalGovernment
from citydiplomacy.governments.municipalities import (
    MUNICIPALITIES_FILE,
    load_municipalities,
    read_rows,
)

pytestmark = pytest.mark.django_db


def test_the_file_holds_every_kind_in_the_expected_numbers():
    rows = read_rows()
    counts = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    assert counts == {"metropolitan_municipality": 30, "municipality": 51,
                      "special_provincial_administration": 51, "district_municipality": 922,
                      "town_municipality": 390}
    assert all(row["source"] for row in rows)


def test_known_units_carry_their_codes_and_parents(istanbul):
    load_municipalities()
    cankaya = LocalGovernment.objects.get(official_code="TR-06-D1231")
    assert cankaya.name == "Çankaya Belediyesi" and cankaya.kind == GovernmentKind.DISTRICT_MUNICIPALITY
    assert cankaya.parent.official_code == "TR-06" and cankaya.region_code == "TR-06"
    kayseri = LocalGovernment.objects.get(official_code="TR-38")
    assert kayseri.kind == GovernmentKind.METROPOLITAN_MUNICIPALITY
    assert LocalGovernment.objects.get(official_code="TR-02").kind == GovernmentKind.MUNICIPALITY
    assert LocalGovernment.objects.get(official_code="TR-02-IOI").kind == \
        GovernmentKind.SPECIAL_PROVINCIAL_ADMINISTRATION
    # the demo's İstanbul record is given its code, not duplicated
    istanbul.refresh_from_db()
    assert istanbul.official_code == "TR-34"
    assert LocalGovernment.objects.filter(name="İstanbul Büyükşehir Belediyesi").count() == 1
    assert LocalGovernment.objects.get(official_code="TR-34-D1421").parent_id == istanbul.pk


def test_loading_twice_adds_nothing():
    first = load_municipalities()
    total = LocalGovernment.objects.count()
    second = load_municipalities()
    assert first.created == 1444 and second.created == 0 and second.unchanged == 1444
    assert LocalGovernment.objects.count() == total


def test_a_file_with_duplicate_codes_is_refused_whole(tmp_path):
    bad = tmp_path / "municipalities.csv"
    shutil.copy(MUNICIPALITIES_FILE, bad)
    with bad.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows.append(rows[5])  # the same code twice
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    with pytest.raises(ValidationError) as err:
        load_municipalities(bad)
    message = " ".join(err.value.messages)
    assert rows[5][0] in message and str(len(rows)) in message
    assert LocalGovernment.objects.filter(country_code="TR").count() == 0


def test_a_file_with_duplicate_codes_changes_nothing_already_loaded(tmp_path):
    """Refused whole also over a loaded registry, and from the command: a new row and a
    changed row of the bad file are not written either."""
    from django.core.management import CommandError, call_command

    load_municipalities()
    before = sorted(LocalGovernment.objects.values_list("official_code", "name", "parent_id"))
    with MUNICIPALITIES_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows.append(["TR-34-D9999", "Yeni Belediye", "Yeni Belediye", "district_municipality", "TR-34", "TR-34",
                 "", "41.0", "29.0", "approximate", "test"])
    rows.append(rows[7])  # the same code twice
    bad = tmp_path / "municipalities.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    with pytest.raises(CommandError, match=rows[7][0]):
        call_command("load-municipalities", "--file", str(bad))
    assert sorted(LocalGovernment.objects.values_list("official_code", "name", "parent_id")) == before
