"""Legal profiles: the lifecycle's rule table per jurisdiction, one chosen per installation
(settings.LEGAL_PROFILE). Each profile is one table of transitions, its own rules and the
words the interface uses for its steps.

- `tr-5393` (default): Turkey's Municipal Law 5393 art. 18(p) and 74 with national foreign
  policy; its table and rules are agreements.lifecycle's (TRANSITIONS, `law5393_rules`).
- `au-fas`: Australia's Foreign Arrangements Scheme for councils, Foreign Relations (State and
  Territory Arrangements) Act 2020 (Cth): the council notifies the Minister before negotiating
  or entering an arrangement, notifies again within 14 days after entering it, and the Minister
  may cancel it; non-core arrangements have no approval step.
  Sources: https://www.legislation.gov.au/C2020A00116 and https://www.foreignarrangements.gov.au/
- `council-only`: the council decides alone, with no central step, as for German or British
  municipalities (Gemeindeordnungen; Local Government Act 1972 s 111 for English councils).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.checks import Error, register
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import (
    AUTHORITY_OR_DECIDE,
    EDIT,
    Facts,
    Instrument,
    State,
    Transition,
    Violation,
)

S = State
NOTIFICATION_DAYS = 14  # au-fas: notify the Minister within 14 days after entering


@dataclass(frozen=True)
class LegalProfile:
    code: str
    name: Promise
    transitions: dict[tuple[str, str], Transition]
    rules: Callable[[Facts], list[Violation]]
    wording: dict[str, Promise] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    # Does a request name the permitting authority of its date (policy.PermittingAuthority)?
    permitting_authorities: bool = False

    def label(self, state: str) -> str:
        if state in self.wording:
            return str(self.wording[state])
        return str(State(state).label) if state in State.values else state


def _table(*rows: Transition) -> dict[tuple[str, str], Transition]:
    return {(t.source, t.target): t for t in rows}


# Steps every profile shares with Turkey's table: suspension, resumption and expiry of a tie
# in force; and the central permission steps that only Turkey's table has.
_SHARED_IN_FORCE = [t for t in lifecycle.TRANSITIONS.values()
                    if t.source in (S.ACTIVE, S.SUSPENDED) and t.target != S.TERMINATED]
_CENTRAL = {S.PERMISSION_REQUESTED, S.PERMISSION_GRANTED, S.PERMISSION_DENIED}

AU_FAS_TRANSITIONS = _table(
    Transition(S.DRAFT, S.PERMISSION_REQUESTED, EDIT),       # notified before negotiating or entering
    Transition(S.PERMISSION_REQUESTED, S.SIGNED, EDIT),      # entered into; no approval step
    Transition(S.SIGNED, S.ACTIVE, EDIT, reference_required=True),  # notified after entering
    *_SHARED_IN_FORCE,
    # Ended by the council, or cancelled by the Minister.
    *[replace(t, needs=AUTHORITY_OR_DECIDE) for t in lifecycle.TRANSITIONS.values() if t.target == S.TERMINATED],
)


def au_fas_rules(f: Facts) -> list[Violation]:
    found = []
    if f.state == S.SIGNED and f.target == S.ACTIVE and f.last_step_on \
            and (f.on - f.last_step_on).days > NOTIFICATION_DAYS and not f.reason.strip():
        found.append(Violation("au_fas.notify_within_14_days", _(
            "The Minister must be notified within 14 days after the arrangement is entered into "
            "(entered on %(date)s): give the reason for this late notification.") % {
                "date": f.last_step_on.isoformat()}))
    return found


# Turkey's table without its central permission steps.
COUNCIL_ONLY_TRANSITIONS = _table(*[t for t in lifecycle.TRANSITIONS.values()
                                    if not {t.source, t.target} & _CENTRAL])


def council_only_rules(f: Facts) -> list[Violation]:
    if f.target == S.SIGNED and f.state == S.DRAFT and f.instrument != Instrument.LETTER_OF_GOODWILL:
        return [Violation("council.council_decision_required", _(
            "This instrument needs a council decision before it can be signed."))]
    return []


PROFILES = {p.code: p for p in [
    LegalProfile("tr-5393", gettext_lazy("Turkey: Municipal Law 5393"), lifecycle.TRANSITIONS,
                 lifecycle.law5393_rules, permitting_authorities=True,
                 sources=("https://www.mevzuat.gov.tr/mevzuatmetin/1.5.5393.pdf",)),
    LegalProfile("au-fas", gettext_lazy("Australia: Foreign Arrangements Scheme (councils)"),
                 AU_FAS_TRANSITIONS, au_fas_rules, wording={
                     S.PERMISSION_REQUESTED: gettext_lazy("Notified to the Minister before entering"),
                     S.SIGNED: gettext_lazy("Entered into"),
                     S.ACTIVE: gettext_lazy("In force, notified after entering"),
                     S.TERMINATED: gettext_lazy("Ended or cancelled by the Minister"),
                 }, sources=("https://www.legislation.gov.au/C2020A00116",
                             "https://www.foreignarrangements.gov.au/")),
    LegalProfile("council-only", gettext_lazy("Council decision only (no central step)"),
                 COUNCIL_ONLY_TRANSITIONS, council_only_rules),
]}


def active_profile() -> LegalProfile:
    return PROFILES.get(getattr(settings, "LEGAL_PROFILE", "tr-5393"), PROFILES["tr-5393"])


@register()
def check_legal_profile(app_configs, **kwargs):
    code = getattr(settings, "LEGAL_PROFILE", "tr-5393")
    if code not in PROFILES:
        return [Error(f"LEGAL_PROFILE {code!r} is unknown; choose one of {', '.join(PROFILES)}.",
                      id="citydiplomacy.E010")]
    return []
