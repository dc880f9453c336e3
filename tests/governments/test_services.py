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
