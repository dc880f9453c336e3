"""The fan-out of a directive, as a background task (django-tasks, run by `citydiplomacy worker`):
giving every affected agreement's municipality its task and telling their staff.

Issuing a directive (agreements.directives.issue_directive) records it as QUEUED and enqueues
`fan_out_directive` in the same transaction (the database task backend writes the queue row
there), so a directive is never left without its fan-out, nor a fan-out without its directive.

The task is idempotent, so that a worker killed in the middle loses nothing and the next run
(web/management/commands/worker.py puts the killed task back in the queue) completes it:
- tasks are written in chunks of CHUNK, each chunk committed on its own with `bulk_create`;
  an agreement that already has its task (the unique constraint directive + agreement) is
  skipped, never duplicated;
- the municipalities are told with a notification key per directive, so a staff member is
  told once however many runs it takes;
- the directive becomes DONE in the transaction that tells the last of them;
- a fan-out whose task failed is queued again when a worker starts (`resume_unfinished`).

Progress (`progress`): the tasks created so far against the agreements affected, and the state;
the directive's page and GET /api/directives/{id}/ show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from citydiplomacy.agreements.lifecycle import State
from citydiplomacy.agreements.models import Directive, DirectiveTask

CHUNK = 1000
# Called after each committed chunk with (directive id, tasks written so far); tests use it
# to stop a worker in the middle of a fan-out.
AFTER_CHUNK_HOOKS: list = []


@dataclass(frozen=True)
class Progress:
    state: str
    state_label: str
    tasks_created: int
    agreements_affected: int | None

    @property
    def done(self) -> bool:
        return self.state == Directive.Fanout.DONE

    @property
    def percent(self) -> int:
        if self.done:
            return 100
        if not self.agreements_affected:
            return 0
        return min(99, self.tasks_created * 100 // self.agreements_affected)


def progress(directive: Directive, tasks_created: int | None = None) -> Progress:
    """How far the fan-out of this directive is (`tasks_created` if the caller counted them)."""
    if tasks_created is None:
        tasks_created = directive.tasks.count()
    affected = directive.agreements_affected
    if affected is None and directive.fanout == Directive.Fanout.DONE:
        affected = tasks_created  # a directive recorded before fan-outs were counted
    return Progress(directive.fanout, str(directive.get_fanout_display()), tasks_created, affected)


def _task_for(directive: Directive, agreement) -> DirectiveTask:
    """A tie already in the asked state (suspended, for a call to review or suspend) counts as answered."""
    already = directive.action != Directive.Action.END and agreement.state == State.SUSPENDED
    return DirectiveTask(directive=directive, agreement_id=agreement.pk, organisation_id=agreement.organisation_id,
                         state=DirectiveTask.State.DONE if already else DirectiveTask.State.OPEN,
                         answer=_("already suspended") if already else "")


def fan_out(directive_id: int) -> dict:
    """Create the directive's missing tasks, tell the municipalities, mark it done. Safe to
    run again at any point; a finished directive is left as it is."""
    from citydiplomacy.agreements import directives

    directive = Directive.objects.get(pk=directive_id)
    if directive.fanout == Directive.Fanout.DONE:
        return {"directive": directive_id, "created": 0, "tasks": directive.tasks.count()}
    affected = directives.affected_agreements(directive.country_code, directive.region_code)
    have = set(directive.tasks.values_list("agreement_id", flat=True))
    missing = [a for a in affected if a.pk not in have]
    total = len(have | {a.pk for a in affected})
    Directive.objects.filter(pk=directive_id).update(fanout=Directive.Fanout.RUNNING, agreements_affected=total)
    written = len(have)
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start:start + CHUNK]
        with transaction.atomic():
            DirectiveTask.objects.bulk_create([_task_for(directive, a) for a in chunk], ignore_conflicts=True)
        written += len(chunk)
        for hook in AFTER_CHUNK_HOOKS:
            hook(directive_id, written)
    with transaction.atomic():
        directive = Directive.objects.select_for_update().get(pk=directive_id)
        if directive.fanout != Directive.Fanout.DONE:
            told = set(directive.tasks.filter(state=DirectiveTask.State.OPEN)
                       .values_list("organisation_id", flat=True).distinct())
            directives.tell_municipalities(directive, told)
            directive.fanout, directive.fanout_finished_at = Directive.Fanout.DONE, timezone.now()
            directive.agreements_affected = directive.tasks.count()
            directive.save(update_fields=["fanout", "fanout_finished_at", "agreements_affected"])
    return {"directive": directive_id, "created": len(missing), "tasks": directive.agreements_affected}


@task()
def fan_out_directive(directive_id: int) -> dict:
    return fan_out(directive_id)


def enqueue(directive: Directive) -> None:
    """Queue the fan-out of a directive just recorded (inside the caller's transaction)."""
    fan_out_directive.enqueue(directive.pk)


def resume_unfinished() -> int:
    """Queue again the fan-out of every directive left unfinished with no run waiting or
    running (its task failed, or its queue row was lost); the worker calls this when it
    starts. Answers how many were queued."""
    from django_tasks_db.models import DBTaskResult

    queued = 0
    for pk in Directive.objects.exclude(fanout=Directive.Fanout.DONE).values_list("pk", flat=True):
        waiting = DBTaskResult.objects.filter(task_path=fan_out_directive.module_path, status__in=("READY", "RUNNING"),
                                              args_kwargs={"args": [pk], "kwargs": {}}).exists()
        if not waiting:
            fan_out_directive.enqueue(pk)
            queued += 1
    return queued
