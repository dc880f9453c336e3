"""How the agreements pages report a write: a versioned edit form saved or refused
(`save_versioned_form`), and a refused step or edit shown as messages (`show_refusal`: each
blocking rule's message, the stale-version notice, or the validation messages). Nothing is
saved when a write is refused: the services run in transactions."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError

from citydiplomacy.agreements.errors import RuleViolation, StaleVersion

REFUSALS = (RuleViolation, StaleVersion, ValidationError)  # what `show_refusal` reports


def show_refusal(request, exc: Exception, *, stale_message: str) -> None:
    """The reasons a write was refused, as error messages on the next page."""
    if isinstance(exc, RuleViolation):
        for violation in exc.violations:
            messages.error(request, violation.message)
    elif isinstance(exc, StaleVersion):
        messages.error(request, stale_message)
    else:
        for message in exc.messages:
            messages.error(request, message)


def versioned_edit(request, form_class, record, save: Callable[..., object],
                   notices: tuple[str, str]) -> tuple[object, bool]:
    """The edit form of `record` (initially its current values) and whether it was saved: on a
    valid POST, `save(record, actor=…, version=…, **the other cleaned fields)`. A stale version
    or a rule's ValidationError becomes an error of the form. `notices`: (stale, saved)."""
    initial = {name: getattr(record, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return form, False
    data = dict(form.cleaned_data)
    version = data.pop("version")
    stale_message, saved_message = notices
    try:
        save(record, actor=request.user, version=version, **data)
    except StaleVersion:
        form.add_error(None, stale_message)
    except ValidationError as exc:
        form.add_error(None, exc)
    else:
        messages.success(request, saved_message)
        return form, True
    return form, False
