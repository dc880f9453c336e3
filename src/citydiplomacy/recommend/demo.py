"""Demo step: train the recommender when the world network is loaded and no model exists yet."""

from __future__ import annotations


def train_if_network(stdout=None, options=None) -> None:
    from citydiplomacy.places.models import ReportedTie

    from .services import model_path, train_recommender

    if model_path().exists() or not ReportedTie.objects.exists():
        return
    row = train_recommender(source="db")
    if stdout is not None:
        stdout.write(f"Recommender trained on {row.ties} ties in {row.seconds:.0f} s.\n")
