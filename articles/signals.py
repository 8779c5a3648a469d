"""
Writes say what they touched, and nothing more: articles/derived.py refreshes what
follows from it (country links, search documents, counts, the change log) once, at the
end of the transaction.
"""

from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from . import derived
from .models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    ClaimLink,
    Correction,
    Country,
    Event,
    Evidence,
    Source,
    Status,
)

# Claims being deleted: their roles and quotes go first, and refreshing the claim
# between the two would count it under what it had just lost.
deleting = ContextVar("deleting_claims", default=frozenset())


@receiver(post_save, sender=Claim)
def claim_saved(sender, instance, **kwargs):
    derived.touch(claims=[instance.pk])


@receiver(pre_delete, sender=Claim)
def claim_deleting(sender, instance, **kwargs):
    deleting.set(deleting.get() | {instance.pk})


@receiver(post_delete, sender=Claim)
def claim_deleted(sender, instance, **kwargs):
    deleting.set(deleting.get() - {instance.pk})
    # What it was counted by, for the counts to drop by.
    derived.touch(removed={instance.pk: instance.facets})


@receiver([post_save, post_delete], sender=ClaimActor)
@receiver([post_save, post_delete], sender=Evidence)
def part_changed(sender, instance, **kwargs):
    if instance.claim_id not in deleting.get():
        derived.touch(claims=[instance.claim_id])


@receiver([post_save, post_delete], sender=Correction)
def correction_changed(sender, instance, **kwargs):
    if instance.claim_id not in deleting.get():
        derived.touch(claims=[instance.claim_id], public=True)


@receiver([post_save, post_delete], sender=ClaimLink)
def link_changed(sender, instance, **kwargs):
    # Both claims' pages show it; "duplicates" also takes the first claim off the lists.
    claims = {instance.from_claim_id, instance.to_claim_id} - deleting.get()
    if claims:
        derived.touch(claims=claims)


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def article_changed(sender, instance, **kwargs):
    # Its title is in its claims' documents, and publishing it adds its quotes; its own
    # page is public if it is published, or was until this save.
    was = getattr(instance, "loaded_status", None)
    public = Status.PUBLISHED in (instance.status, was)
    derived.touch(articles=[instance.pk], public=public)


@receiver([post_save, post_delete], sender=Actor)
def actor_changed(sender, instance, **kwargs):
    # Its name, aliases and country are in its claims' documents and links. Its page
    # is public only through its published claims, which the refresh finds.
    derived.touch(actors=[instance.pk])


@receiver(post_save, sender=Event)
def event_changed(sender, instance, **kwargs):
    derived.touch(events=[instance.pk])


# Deleting an event that claims use is refused (Claim.event is PROTECT): one that is
# deleted was on no claim, so no page readers see changes.


@receiver(m2m_changed, sender=Event.participants.through)
def participants_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        derived.touch(public=True)  # shown on the event's page


@receiver(post_save, sender=Source)
def source_saved(sender, instance, created, **kwargs):
    # Its page lists its published articles: a new source has none yet.
    derived.touch(sources=[instance.pk], public=not created)


@receiver(post_save, sender=Country)
def country_saved(sender, instance, created, **kwargs):
    derived.touch(countries=[instance.pk], public=not created)


@receiver(post_delete, sender=Source)
@receiver(post_delete, sender=Country)
def listed_deleted(sender, instance, **kwargs):
    derived.touch(public=True)
