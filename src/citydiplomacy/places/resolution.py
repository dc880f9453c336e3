"""What the place-name resolver answers: a candidate place or region, the resolution of one
(name, country) pair with its alternatives and reason, and a parsed country field.

Plain data, shared by the index (resolver_index.py), the decision rules (resolver_rules.py),
the resolution flow (resolver.py) and their callers (import, review, web search).
"""

from __future__ import annotations

from dataclasses import dataclass, field

RESOLVED, AMBIGUOUS, UNRESOLVED = "resolved", "ambiguous", "unresolved"


@dataclass(frozen=True, slots=True)
class Candidate:
    kind: str  # "place" | "region"
    ref: str  # geonameid (as text) or region code
    name: str
    country_code: str
    admin1_code: str
    latitude: float | None
    longitude: float | None
    population: int
    primary: bool = True  # matched on its main name (not an alternate name)

    @property
    def geonameid(self) -> int | None:
        return int(self.ref) if self.kind == "place" else None

    @property
    def region_code(self) -> str:
        return self.ref if self.kind == "region" else ""


@dataclass
class Resolution:
    status: str
    best: Candidate | None = None
    confidence: float = 0.0
    alternatives: list[Candidate] = field(default_factory=list)
    reason: str = ""
    country_code: str = ""  # as stored: XC for Northern Cyprus
    territory: str = ""
    parent: Candidate | None = None  # the city a district belongs to, when known
    how: str = ""

    @property
    def code(self) -> str:
        return self.best.ref if self.best else ""


@dataclass(frozen=True, slots=True)
class CountryParse:
    code: str
    region_code: str = ""
    territory: str = ""
    confidence: float = 1.0

