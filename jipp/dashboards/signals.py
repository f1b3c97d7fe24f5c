"""After a write in a lower app, refresh the summaries of the agencies it touched, once the
transaction commits, in the background. The handlers only read ids from the saved object (no query),
so the writes they follow do not get slower."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

_local = threading.local()


def _state() -> dict[str, set[int]]:
    state = getattr(_local, "state", None)
    if state is None:
        state = _local.state = {"agencies": set(), "innovations": set(), "hubs": set()}
    return state


def note_change(*, agency_ids=(), innovation_ids=(), hub_ids=()) -> None:
    """Remember what changed; one task per transaction refreshes it after the commit."""
    state = _state()
    state["agencies"].update(a for a in agency_ids if a)
    state["innovations"].update(i for i in innovation_ids if i)
    state["hubs"].update(h for h in hub_ids if h)
    transaction.on_commit(flush)


def flush() -> None:
    """Enqueue the refresh of everything noted so far (the first on_commit callback of a transaction
    takes it all; the others find nothing)."""
    state = _state()
    agencies, innovations, hubs = sorted(state["agencies"]), sorted(state["innovations"]), sorted(state["hubs"])
    for ids in state.values():
        ids.clear()
    if agencies or innovations or hubs:
        from jipp.dashboards.tasks import refresh_after_change

        refresh_after_change.enqueue(agency_ids=agencies, innovation_ids=innovations, hub_ids=hubs)


def _by_agency(sender, instance, **kwargs):
    note_change(agency_ids=[instance.agency_id])


def _by_innovation(sender, instance, **kwargs):
    note_change(innovation_ids=[instance.innovation_id])


def _by_replication(sender, instance, **kwargs):
    note_change(agency_ids=[instance.source_agency_id, instance.adopter_agency_id])


def _by_hub(sender, instance, **kwargs):
    note_change(agency_ids=[instance.agency_id], hub_ids=[instance.pk])


def _by_spoke(sender, instance, **kwargs):
    note_change(agency_ids=[instance.agency_id], hub_ids=[instance.hub_id])


def _spoke_moving(sender, instance, **kwargs):
    # A spoke moved to another hub leaves its old hub, which must be recomputed too (one read, by key).
    if instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("hub_id", flat=True).first()
        if old and old != instance.hub_id:
            note_change(hub_ids=[old])


def connect() -> None:
    from jipp.competition.models import Proposal
    from jipp.hubs.models import Hub, Spoke
    from jipp.institutionalisation.models import LegalBasis, ProtectionStatus, SustainabilityCheck
    from jipp.registry.models import Award, ContinuityUpdate, Innovation
    from jipp.replication.models import Replication

    for model, handler in (
        (Innovation, _by_agency),
        (Proposal, _by_agency),
        (ProtectionStatus, _by_agency),
        (ContinuityUpdate, _by_innovation),
        (Award, _by_innovation),
        (LegalBasis, _by_innovation),
        (SustainabilityCheck, _by_innovation),
        (Replication, _by_replication),
        (Hub, _by_hub),
        (Spoke, _by_spoke),
    ):
        uid = f"dashboards-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    pre_save.connect(_spoke_moving, sender=Spoke, dispatch_uid="dashboards-hubs.spoke-move")
