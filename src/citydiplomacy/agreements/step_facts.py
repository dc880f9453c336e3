"""The facts a lifecycle step was decided on, as recorded with its event (AgreementEvent.facts).

A step is checked (agreements.lifecycle.check) on facts gathered at that moment: the partner's
identity (country, kind, GeoNames id), the policy status of its country on the step's date and
the policy row it came from, the permitting authority, and the references of the decisions.
`record` writes them down when the step is taken, so that a later change to the partner or to
the policy table cannot rewrite what the step was decided on; `rule_facts` rebuilds the rules'
input from a record, so that any recorded step can be checked again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from citydiplomacy.agreements import lifecycle, partner_country
from citydiplomacy.policy import selectors as policy

VERSION = 1
_DATE_FIELDS = ("on", "today", "last_step_on", "council_decision_final_on")


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _government(government) -> dict[str, Any] | None:
    if government is None:
        return None
    return {"id": government.pk, "name": government.name,
            "country_code": government.country_code, "policy_country": policy.policy_country(government),
            "kind": government.kind, "geonameid": government.geonameid,
            "parent": government.parent_id, "region_code": government.region_code,
            "raw_country": government.raw_country}


def record(agreement, facts: lifecycle.Facts) -> dict[str, Any]:
    """What this step is decided on (JSON). `agreement` holds the step's changes (the
    permitting authority set when the permission is requested, the decision references)."""
    relation = None
    if facts.country_code:
        index = policy.PolicyIndex()
        relation = (index.relation_for(agreement.partner, facts.on, facts.country_code) if agreement.partner_id
                    else index.relation_on(facts.country_code, facts.on))
    authority = agreement.permitting_authority
    partner_organisation = agreement.partner_organisation
    return {
        "version": VERSION,
        "rules": {name: _iso(value) for name, value in dataclasses.asdict(facts).items()},
        "partner": _government(agreement.partner),
        "partner_organisation": None if partner_organisation is None else {
            "id": partner_organisation.pk, "name": partner_organisation.name,
            "country_code": partner_organisation.country_code},
        "organisation": _government(agreement.organisation),
        "policy": {"country": facts.country_code, "status": facts.policy_status,
                   "relation": None if relation is None else {
                       "id": relation.pk, "status": relation.status, "region": relation.region_code,
                       "valid_from": _iso(relation.valid_from), "valid_to": _iso(relation.valid_to)}},
        "permitting_authority": None if authority is None else {
            "id": authority.pk, "name_en": authority.name_en, "name_tr": authority.name_tr},
        "references": {
            "step": facts.reference,
            "council_decision_number": agreement.council_decision_number,
            "council_decision_on": _iso(agreement.council_decision_on),
            "council_decision_final_on": _iso(agreement.council_decision_final_on),
            "permission_requested_on": _iso(agreement.permission_requested_on),
            "permission_reference": agreement.permission_reference,
            "permission_granted": agreement.permission_granted,
            "policy_clearance": agreement.policy_clearance_reference,
        },
    }


def rule_facts(recorded: dict[str, Any]) -> lifecycle.Facts:
    """The rules' input as recorded with a step (to check the step again)."""
    values = dict(recorded["rules"])
    for name in _DATE_FIELDS:
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    return lifecycle.Facts(**values)


def summary(recorded: dict[str, Any]) -> str:
    """One line for the lifecycle timeline: the partner's country and its policy status that
    day, and the permitting authority (empty for steps recorded without facts)."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from citydiplomacy.places.countries import country_name
    from citydiplomacy.policy.models import RelationStatus

    if not recorded or not recorded.get("policy"):
        return ""
    code = recorded["policy"].get("country") or ""
    status = recorded["policy"].get("status") or RelationStatus.NORMAL
    labels = dict(RelationStatus.choices)
    text = _("Decided on: partner in %(country)s, national policy “%(status)s” that day") % {
        "country": country_name(code, get_language()) or code or "—",
        "status": labels.get(status, status)}
    authority = recorded.get("permitting_authority")
    if authority:
        name = authority["name_tr"] if (get_language() or "").startswith("tr") else authority["name_en"]
        text += _("; permitting authority: %(authority)s") % {"authority": name}
    return text


def failing_steps(agreement) -> list[dict[str, Any]]:
    """The recorded gated steps of `agreement` (council approval, permission, signing) that
    would not pass on the partner's and the organisation's identity as the registry holds it
    now: after a correction, a tie signed as domestic may have needed the ministry's
    permission, or a partner may now be in a country that was blocked that day. Each:
    {"event": id, "to": state, "on": date, "rules": [rule, ...]}. Steps recorded without
    facts (imports) are not judged."""
    from citydiplomacy.agreements.models import AgreementEvent
    from citydiplomacy.governments.models import GovernmentKind

    country = partner_country.policy_country_of(agreement)
    found = []
    events = AgreementEvent.objects.filter(agreement_id=agreement.pk,
                                           to_state__in=lifecycle.POLICY_GATED).exclude(facts={})
    for event in events.order_by("recorded_at", "id"):
        facts = dataclasses.replace(
            rule_facts(event.facts), country_code=country, foreign=partner_country.is_foreign(agreement),
            policy_status=policy.status_on(country, event.occurred_on) if country else "normal",
            special_provincial_administration=(
                agreement.organisation.kind == GovernmentKind.SPECIAL_PROVINCIAL_ADMINISTRATION))
        # asking for a permission that turns out not to be needed harms no one
        rules = [violation.rule for violation in lifecycle.check(facts)
                 if violation.rule != "law5393.permission_not_required"]
        if rules:
            found.append({"event": event.pk, "agreement": agreement.pk,
                          "organisation": agreement.organisation_id, "to": event.to_state,
                          "on": event.occurred_on.isoformat(), "rules": rules})
    return found
