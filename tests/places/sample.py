"""Scoring the resolver against the hand-checked sample (tests/places/resolver_sample.csv).

Columns: name,country,expected_status,expected_code,note. expected_code is a GeoNames id or
an ISO 3166-2 code when expected_status is "resolved". A row counts as correct when the status
matches and, for resolved rows, the code matches; a resolved answer with another code is
"wrong" (worse than abstaining), an ambiguous/unresolved answer to a resolvable row "abstained".
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SampleScore:
    total: int = 0
    correct: int = 0
    wrong: int = 0
    abstained: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def score_sample(resolver, path: Path) -> SampleScore:
    score = SampleScore()
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            score.total += 1
            res = resolver.resolve(row["name"], row["country"])
            expected_status = row["expected_status"]
            if res.status == expected_status and (
                expected_status != "resolved" or res.code == row["expected_code"]
            ):
                score.correct += 1
                continue
            if res.status == "resolved":
                score.wrong += 1
            else:
                score.abstained += 1
            score.failures.append(
                f"{row['name']!r} / {row['country']!r}: expected {expected_status} "
                f"{row['expected_code']}, got {res.status} {res.code} "
                f"{res.best.name if res.best else ''} ({res.reason})"
            )
    return score
