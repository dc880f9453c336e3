"""Recording a lifecycle step together with the document of the decision it records (a service).

An approver who records the council's or the ministry's decision attaches the decision
document in the same form; the document and the step are stored in one transaction, so a step
the rules refuse stores no document (and its file is removed again), and a refused document
records no step. The rules themselves stay in agreements.lifecycle / transitions.transition.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import lifecycle, services, transitions
from citydiplomacy.agreements.guidance import DECISION_DOCUMENT
from citydiplomacy.agreements.models import Agreement, Document


def record_step(agreement: Agreement, *, actor, to: str, upload=None, document_title: str = "",
                **step) -> Agreement:
    """transitions.transition(…) with an optional decision document (`upload`) attached to the
    event. Raises what transitions.transition raises, or ValidationError for a document that is
    not accepted or not expected at this step."""
    if upload is None:
        return transitions.transition(agreement, actor=actor, to=to, **step)
    kind = DECISION_DOCUMENT.get(to)
    if kind is None:
        raise ValidationError({"document": _("This step records no decision; upload the file in the "
                                             "Documents section instead.")})
    rule = lifecycle.rule_for(agreement.state, to)
    if rule is not None and not permissions.can_fire_transition(actor, agreement.organisation_id, rule.needs):
        raise PermissionDenied(_("Only approvers and administrators record council and ministry decisions."))
    stored: list[Document] = []
    try:
        with transaction.atomic():
            document = services.add_document(actor=actor, agreement=agreement, upload=upload, kind=kind,
                                              title=document_title or str(Document.Kind(kind).label))
            stored.append(document)
            return transitions.transition(agreement, actor=actor, to=to, document=document, **step)
    except Exception:
        for document in stored:  # the row was rolled back; remove its file too
            document.file.storage.delete(document.file.name)
        raise
