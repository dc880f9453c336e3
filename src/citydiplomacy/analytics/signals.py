"""When the inputs of the network results change, ask the worker to recompute them once the
change is committed (analytics.tasks), so that the next reader finds them ready: a step into
or out of force (or an import, which records `imported` events), a finished twin-town import
(an ImportBatch row), a merge or removal of a local government; and of an organisation's
proximity profile (analytics.proximity_results) when one of its ties is published or withdrawn. Pages that find an older
result enqueue the same task anyway (stored_results.read); these receivers make it early."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from citydiplomacy.accounts.permissions import PUBLIC_AGREEMENT_STATES
from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.models import AgreementEvent
from citydiplomacy.analytics.tasks import network_inputs_changed
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.models import ImportBatch


@receiver(post_save, sender=AgreementEvent, dispatch_uid="analytics-network-event")
def _step_recorded(sender, instance: AgreementEvent, created: bool, **kwargs) -> None:
    if created and (instance.from_state in lifecycle.IN_FORCE) != (instance.to_state in lifecycle.IN_FORCE):
        network_inputs_changed()


@receiver(post_save, sender=AgreementEvent, dispatch_uid="analytics-proximity-event")
def _partners_changed(sender, instance: AgreementEvent, created: bool, **kwargs) -> None:
    """A tie published or withdrawn changes its organisation's proximity profile."""
    from citydiplomacy.analytics.proximity_results import partners_changed

    if created and (instance.from_state in PUBLIC_AGREEMENT_STATES) != (instance.to_state in PUBLIC_AGREEMENT_STATES):
        partners_changed(instance.agreement.organisation_id)


@receiver(post_save, sender=ImportBatch, dispatch_uid="analytics-network-import")
def _ties_imported(sender, instance: ImportBatch, created: bool, **kwargs) -> None:
    if created:
        network_inputs_changed()


@receiver(post_delete, sender=LocalGovernment, dispatch_uid="analytics-network-merge")
def _government_removed(sender, instance: LocalGovernment, **kwargs) -> None:
    network_inputs_changed()
