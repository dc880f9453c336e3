"""Registry services enforce their rules whoever calls them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from citydiplomacy.governments import services
from citydiplomacy.governments.models import LocalGovernment


def test_viewer_cannot_create_through_service(users):
    with pytest.raises(PermissionDenied):
        services.create_local_government(actor=users["viewer"], name="X", country_code="NL")


def test_blank_name_refused(users):
    with pytest.raises(ValidationError):
        services.create_local_government(actor=users["officer"], name="  ", country_code="NL")


def test_country_code_normalised(users):
    government = services.create_local_government(actor=users["officer"], name="Gouda", country_code="nl")
    assert government.country_code == "NL"


def test_cannot_be_own_parent(users):
    government = services.create_local_government(actor=users["officer"], name="Gouda", country_code="NL")
    with pytest.raises(ValidationError):
        services.update_local_government(government, actor=users["officer"], parent=government)
    assert LocalGovernment.objects.get(pk=government.pk).parent is None


def test_registry_counts_follow_additions_edits_and_deletions(db):
    """Adding, editing and deleting a local government each changes the dashboard's figures."""
    from citydiplomacy.governments.selectors import registry_counts

    before = registry_counts()
    added = LocalGovernment.objects.create(name="Sample Town", kind="municipality", country_code="ZZ")
    after_add = registry_counts()
    assert after_add["local_governments"] == before["local_governments"] + 1
    assert after_add["countries"] == before["countries"] + 1
    added.is_unresolved = True
    added.save()
    assert registry_counts()["unresolved"] == after_add["unresolved"] + 1
    added.delete()
    assert registry_counts() == before
