"""What a partner chosen on a form means for the organisation.

- `partner_from_choice`: the form's value ("12" for a registry entry, "g3191281" for a
  gazetteer place not yet in the registry) as a LocalGovernment; a gazetteer place is added to
  the registry from its GeoNames record (governments.services.create_from_gazetteer).
- `ties_with`: the organisation's agreements, current or past, with that partner, so that a
  form can warn before a second tie with the same partner is saved.
- `policy_notes`: what the national policy says today about a new tie with that partner: the
  rule table's own messages (agreements.lifecycle), shown before a draft is saved.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle, services
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments import services as government_services
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.partner_search import place_for_choice
from citydiplomacy.policy import selectors as policy


def partner_from_choice(actor, choice: str | int | None) -> LocalGovernment:
    """The registry entry behind a form value, adding a gazetteer place when needed."""
    text = str(choice or "").strip()
    if text.isdigit():
        government = LocalGovernment.objects.filter(pk=int(text)).first()
        if government is not None:
            return government
    else:
        place = place_for_choice(text)
        if place is not None:
            return government_services.create_from_gazetteer(actor=actor, geonameid=place.geonameid)
    raise ValidationError({"partner": _("Choose a partner from the search results.")})


def existing_government(choice: str | int | None) -> LocalGovernment | None:
    """The registry entry a form value points at, without creating anything."""
    text = str(choice or "").strip()
    if text.isdigit():
        return LocalGovernment.objects.filter(pk=int(text)).first()
    place = place_for_choice(text)
    if place is not None:
        return LocalGovernment.objects.filter(geonameid=place.geonameid).first()
    return None


def ties_with(user, partner: LocalGovernment | None) -> QuerySet[Agreement]:
    """The user's organisation's agreements with `partner`: in force, on their way, ended or
    archived (an organisation "once had" a tie as long as its record exists)."""
    organisation_id = permissions.organisation_id_of(user)
    if partner is None or organisation_id is None:
        return Agreement.objects.none()
    return (Agreement.objects.filter(organisation_id=organisation_id, partner=partner)
            .order_by("-signed_on", "-id"))


def chosen_partner(choice: str | int | None) -> LocalGovernment | None:
    """The partner a form value points at, unsaved for a gazetteer place (nothing is created)."""
    government = existing_government(choice)
    if government is not None:
        return government
    place = place_for_choice(str(choice or ""))
    if place is None:
        return None
    return LocalGovernment(name=place.name, country_code=place.country_code, geonameid=place.geonameid)


def policy_notes(partner: LocalGovernment | None) -> list[str]:
    """Why a new tie with this partner could not pass council approval today under the national
    policy (frozen, no relations, restricted), in the rule table's words; empty when nothing
    stands in the way."""
    country = policy.policy_country(partner)
    if not country:
        return []
    today = services.today()
    facts = lifecycle.Facts(
        state=lifecycle.State.IN_COMMITTEE, target=lifecycle.State.COUNCIL_APPROVED, on=today,
        today=today, instrument=lifecycle.Instrument.TWINNING, foreign=True,
        policy_status=policy.status_on(country, today), reference="-", country_code=country)
    return [v.message for v in lifecycle.check(facts) if v.rule.startswith("policy.")]
