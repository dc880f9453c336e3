"""`citydiplomacy train-recommender`: learn the recommender from the current registry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.recommend.services import train_recommender


class Command(BaseCommand):
    help = "Train the partner recommender on the current registry's twinning network."

    def add_arguments(self, parser):
        parser.add_argument("--source", choices=("auto", "db", "packages"), default="auto",
                            help="Network: the database (auto when it holds reported ties) or "
                                 "the vendored twin-town file resolved without the database.")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, source="auto", seed=0, **options):
        try:
            row = train_recommender(source=source, seed=seed)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Trained on {row.ties} ties ({row.source}), {row.nodes} nodes, {row.candidates} "
            f"candidates, {row.training_rows} training rows in {row.seconds:.1f} s"))
        self.stdout.write(f"Model: {row.path} (trained {row.trained_at:%Y-%m-%d %H:%M:%S} UTC)")
