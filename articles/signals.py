"""
Keep each claim's denormalised data (country links, search document) in step with the
rows it is derived from: its actors and roles, evidence, articles and event; and move
the content version on whenever anything readers can see may have changed.
"""

from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    ContentVersion,
    Event,
    Evidence,
    refresh_claim_counts,
)

# Claims being deleted in this context: their parts go first, and refreshing the claim
# then would write new country links for a row about to disappear.
deleting = ContextVar("deleting_claims", default=frozenset())


def refresh(claims, **options):
    claims = claims.exclude(pk__in=deleting.get())
    for claim in claims.select_related("event", "country").distinct():
        claim.refresh_denormalised(**options)


@receiver(pre_delete, sender=Claim)
def claim_deleting(sender, instance, **kwargs):
    deleting.set(deleting.get() | {instance.pk})
    # Whose claim counts drop once it is gone.
    instance.counted_in = (
        list(instance.involvements.values_list("country_id", flat=True)),
        list(instance.roles.values_list("actor_id", flat=True)),
    )


@receiver(post_delete, sender=Claim)
def claim_deleted(sender, instance, **kwargs):
    deleting.set(deleting.get() - {instance.pk})
    countries, actors = instance.counted_in
    refresh_claim_counts(countries, actors, [instance.event_id])


@receiver([post_save, post_delete], sender=ClaimActor)
def role_changed(sender, instance, **kwargs):
    # The claim itself may be going away in a cascade; then there is nothing to refresh.
    # The role's actor, or the one it had before an edit, may have left the claim.
    actors = [instance.actor_id, getattr(instance, "loaded_actor_id", None)]
    refresh(Claim.objects.filter(pk=instance.claim_id), actors=actors)


@receiver([post_save, post_delete], sender=Evidence)
def evidence_changed(sender, instance, **kwargs):
    # Quotes change what search finds, not which claims are published.
    refresh(Claim.objects.filter(pk=instance.claim_id), counts=False)


@receiver(post_save, sender=Actor)
def actor_changed(sender, instance, created, **kwargs):
    # Its country, name or aliases may have changed: every claim it takes part in follows.
    if not created:
        refresh(Claim.objects.filter(roles__actor=instance))


@receiver(post_save, sender=Article)
def article_changed(sender, instance, created, **kwargs):
    # Publishing or unpublishing an article adds or removes its quotes from search.
    if not created:
        refresh(Claim.objects.filter(evidence__article=instance), counts=False)


@receiver(post_save, sender=Event)
def event_changed(sender, instance, created, **kwargs):
    if not created:
        refresh(Claim.objects.filter(event=instance), counts=False)


@receiver(pre_delete, sender=Event)
def event_deleting(sender, instance, **kwargs):
    # Its claims keep existing (event set to NULL by a plain UPDATE, without signals):
    # remember them so that their search documents lose the event's name.
    instance.claim_ids = list(instance.claims.values_list("pk", flat=True))


@receiver(post_delete, sender=Event)
def event_deleted(sender, instance, **kwargs):
    refresh(Claim.objects.filter(pk__in=getattr(instance, "claim_ids", [])), counts=False)


@receiver([post_save, post_delete, m2m_changed])
def content_changed(sender, action="post_", **kwargs):
    # Any row of this app but the version itself and simple-history's records (written
    # with a row that bumps already). Bumped inside the editor's transaction, so the new
    # number and the new content become visible together.
    if (
        sender._meta.app_label == "articles"
        and sender is not ContentVersion
        and not hasattr(sender, "instance_type")
        and action.startswith("post_")
    ):
        ContentVersion.bump()
