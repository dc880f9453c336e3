"""What accepting a correction of a local government's identity means for the ties held with
it: the policy check re-run (the registry flags of policy.rules) on every tie in force with that
local government, as partner or as the organisation holding it, and the recorded steps of those
ties that would not pass on the identity it has now (step_facts.failing_steps).

Registered with governments.corrections (`register_tie_check`, from AgreementsConfig.ready):
governments asks for the check without importing the agreements app, which builds on it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from citydiplomacy.agreements import selectors, step_facts
from citydiplomacy.agreements.lifecycle import IN_FORCE
from citydiplomacy.agreements.models import Agreement
from citydiplomacy.governments.corrections import register_tie_check


@register_tie_check
def recheck_ties_with(government) -> dict[str, Any]:
    ids = list(Agreement.objects.filter(Q(partner=government) | Q(organisation=government),
                                        state__in=IN_FORCE, archived_at__isnull=True)
               .values_list("pk", flat=True))
    if not ids:
        return {"flagged": 0, "checked": 0, "failing_steps": []}
    rows = selectors.agreement_rows(None, queryset=Agreement.objects.filter(pk__in=ids))
    counts = {"flagged": sum("needs_review" in row.flags for row in rows), "checked": len(ids)}
    failing = []
    for agreement in Agreement.objects.filter(pk__in=ids).select_related(
            "organisation", "partner", "partner_organisation").order_by("pk"):
        failing.extend(step_facts.failing_steps(agreement))
    return {**counts, "failing_steps": failing}
