"""Finding F14 outside the neutralised exports: a quote in a source URL cannot break a
QuickStatements line, and the registry accepts only a real Wikidata id (Q + digits)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from citydiplomacy.analytics import exports
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.governments.services import create_local_government, update_local_government


def test_a_quote_in_the_source_url_ends_the_url(ibb_relations):
    tie = ibb_relations.get(partner__name="Rotterdam")
    tie.organisation.wikidata_id, tie.partner.wikidata_id = "Q406", "Q34370"
    tie.organisation.save()
    tie.partner.save()
    tie.source = 'Council decision https://x.example/a"b\tLAST'
    tie.save()
    lines, _ = exports.quickstatements(ibb_relations.filter(pk=tie.pk).select_related("organisation", "partner"))
    assert lines and all(exports.QS_LINE.match(line) for line in lines), lines
    assert lines[0].endswith('\tS854\t"https://x.example/a"')  # a quote is not part of a URL in text


@pytest.mark.parametrize("bad", ["Q459\tLAST\tP31\tQ5", "Q0", "406", "q406x", "Q12 Q13"])
def test_the_registry_refuses_a_wikidata_id_that_is_not_one(users, bad):
    before = list(LocalGovernment.objects.values_list("wikidata_id", flat=True))
    with pytest.raises(ValidationError) as caught:
        create_local_government(actor=users["officer"], name="Rotterdam", kind="municipality",
                                country_code="NL", wikidata_id=bad)
    assert "wikidata_id" in caught.value.message_dict
    assert list(LocalGovernment.objects.values_list("wikidata_id", flat=True)) == before


def test_a_real_wikidata_id_is_kept_trimmed(users):
    government = create_local_government(actor=users["officer"], name="Rotterdam",
                                         kind="municipality", country_code="NL",
                                         wikidata_id=" Q34370 ")
    assert government.wikidata_id == "Q34370"
    update_local_government(government, actor=users["officer"], wikidata_id="")
    assert LocalGovernment.objects.get(pk=government.pk).wikidata_id == ""
