"""When the inputs of the review candidates change, ask the worker to recompute the whole
review queue once the change commits (places.review_results): a finished twin-town import
(an ImportBatch row) and a reviewer's choice, which later names of the same text reuse."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import ImportBatch, ReviewChoice
from .review_results import queue_changed


@receiver(post_save, sender=ImportBatch, dispatch_uid="places-review-import")
def _names_imported(sender, instance: ImportBatch, created: bool, **kwargs) -> None:
    if created:
        queue_changed()


@receiver(post_save, sender=ReviewChoice, dispatch_uid="places-review-choice")
def _choice_recorded(sender, instance: ReviewChoice, **kwargs) -> None:
    queue_changed()
