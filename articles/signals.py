"""Keep the denormalised claim↔country links (Involvement) in step with their sources."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Actor, Claim, ClaimActor


@receiver([post_save, post_delete], sender=ClaimActor)
def claim_actors_changed(sender, instance, **kwargs):
    # The claim itself may be going away in a cascade; then there is nothing to refresh.
    claim = Claim.objects.filter(pk=instance.claim_id).first()
    if claim is not None:
        claim.refresh_involvements()


@receiver(post_save, sender=Actor)
def actor_changed(sender, instance, **kwargs):
    # An actor's country may have changed: every claim it takes part in follows.
    for claim in Claim.objects.filter(roles__actor=instance).distinct():
        claim.refresh_involvements()
