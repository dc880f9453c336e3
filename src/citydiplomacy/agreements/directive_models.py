"""Models of the central government's directives: a dated call about the ties with one country
or one region (review, suspend or end them), and the task it gives each municipality on each
affected agreement. Rules and reads are in agreements.directives."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Directive(models.Model):
    class Action(models.TextChoices):
        REVIEW = "review", _("Review the ties")
        SUSPEND = "suspend", _("Suspend the ties")
        END = "end", _("End the ties")

    class Fanout(models.TextChoices):
        """Where the background task that gives the municipalities their tasks stands
        (agreements.directive_fanout)."""

        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Creating the tasks")
        DONE = "done", _("Every task created")

    country_code = models.CharField(_("country"), max_length=2, blank=True)
    region_code = models.CharField(_("region (ISO 3166-2)"), max_length=10, blank=True)
    issued_on = models.DateField(_("issued on"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    source = models.CharField(_("source"), max_length=500)
    deadline = models.DateField(_("deadline"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("issued by"))
    created_at = models.DateTimeField(auto_now_add=True)
    fanout = models.CharField(_("task creation"), max_length=10, choices=Fanout.choices, default=Fanout.DONE)
    agreements_affected = models.IntegerField(_("agreements affected"), null=True, blank=True)
    fanout_finished_at = models.DateTimeField(_("tasks created at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=~models.Q(country_code="") | ~models.Q(region_code=""), name="directive_has_a_place")]


class DirectiveTask(models.Model):
    """What one directive asks of one agreement's municipality, and its answer: a council
    decision recorded through the lifecycle (or, for a review, the decision to keep the tie)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Answered")

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="tasks")
    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.PROTECT, related_name="directive_tasks")
    organisation = models.ForeignKey("governments.LocalGovernment", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.OPEN)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    council_reference = models.CharField(_("council decision"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("directive task")
        verbose_name_plural = _("directive tasks")
        constraints = [models.UniqueConstraint(fields=["directive", "agreement"], name="one_task_per_agreement")]
        indexes = [models.Index(fields=["organisation", "state"])]
