"""
Deciding on a queued GDELT event. Accepting it makes what an editor needs to start
from: a draft article stub standing in for the report GDELT read, and a draft claim
with the event's countries, actors, kind and date. Neither is publishable as it is: the
stub's body is GDELT's coding, marked as such, not the article, and the claim has no
quote (publishing a claim needs a quote from a published article). Accepting again
returns what the first acceptance made.
"""

import re
import urllib.parse

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from articles import derived
from articles.models import Actor, Article, Claim, ClaimActor, Source, Status

from . import codes
from .models import GdeltEvent, QuadClass

# The first line of every stub's body: the stub is GDELT's coding, not the article.
MACHINE_CODED = (
    "[Machine-coded by GDELT, not the article: replace this text with the article as "
    "published before quoting it.]"
)
# BCP 47 for "undetermined": the language of the report is not known.
UNDETERMINED = "und"


def accept(event, user):
    """The draft article stub of `event`, made with its draft claim unless made before."""
    with derived.batch():
        event = GdeltEvent.objects.select_for_update().get(pk=event.pk)
        if event.status == GdeltEvent.Status.ACCEPTED and event.article and event.claim:
            return event.article
        event.article = event.article or stub_article(event, user)
        event.claim = event.claim or draft_claim(event)
        event.status = GdeltEvent.Status.ACCEPTED
        event.decided_by, event.decided_at = user, timezone.now()
        event.full_clean()
        event.save()
    return event.article


def dismiss(events, user):
    """Dismiss the new events among `events` (a queryset): how many were."""
    return events.filter(status=GdeltEvent.Status.NEW).update(
        status=GdeltEvent.Status.DISMISSED, decided_by=user, decided_at=timezone.now()
    )


def editing_url(article):
    """Where an editor goes on with a stub: its workbench, to make claims from its text."""
    return reverse("admin:articles_article_workbench", args=[article.pk])


# --- the article stub ---------------------------------------------------------------------


def stub_article(event, user):
    """
    The article GDELT read, as a draft whose body describes the event: the article
    already entered at the same address, if there is one.
    """
    url = event.link
    if len(url) > Article._meta.get_field("url").max_length:
        url = ""  # Still in the stub's body.
    if url and (known := Article.objects.filter(url=url).first()):
        return known
    article = Article(
        title=f"GDELT event {event.pk}: {event.description}"[:300],
        slug=unique_slug(Article, f"gdelt-{event.pk}"),
        url=url,
        source=source_for(event),
        published_at=event.date_added,
        language=language_for(event),
        body=stub_body(event),
        summary=f"Stub made from GDELT event {event.pk}: replace the body with the article.",
        status=Status.DRAFT,
        created_by=user,
    )
    article.full_clean()
    article.save()
    return article


def stub_body(event):
    when = f"{event.occurred_on.day} {event.occurred_on:%B %Y}"
    added = f"{event.date_added.day} {event.date_added:%B %Y at %H:%M} UTC"
    actor1 = actor_text(event.actor1_name, event.actor1_code)
    actor2 = actor_text(event.actor2_name, event.actor2_code)
    lines = [
        MACHINE_CODED,
        "",
        f"GDELT event {event.pk}, first seen by GDELT on {added} in:",
        event.source_url or event.source_citation or "(no source given)",
        "",
        f"Who did what: {actor1} — {event.event_code} {event.event_label} — {actor2}".rstrip(" —"),
        f"When: {when}",
        f"Where: {event.action_geo_name or 'not given'}",
        f"QuadClass: {event.get_quad_class_display()}. Goldstein scale: {event.goldstein}. "
        f"Average tone: {event.avg_tone}.",
        f"In its first 15 minutes: {event.num_mentions} mentions, {event.num_sources} "
        f"sources, {event.num_articles} articles.",
    ]
    return "\n".join(lines)


def actor_text(name, code):
    if not name and not code:
        return ""
    return f"{name or 'unnamed'} (CAMEO {code})" if code else name


def source_for(event):
    """The source whose domain is the report's, made from the domain if there is none."""
    host = urllib.parse.urlsplit(event.link).hostname or ""
    domain = host.removeprefix("www.")
    if domain:
        known = Source.objects.filter(domain__in=[domain, f"www.{domain}"]).order_by("pk")
        if source := known.first():
            return source
        name = domain
    else:
        name = (event.source_citation or "Unnamed GDELT source")[:200]
        if source := Source.objects.filter(name=name, domain="").order_by("pk").first():
            return source
    source = Source(name=name, slug=unique_slug(Source, slugify(name)[:70] or "source"))
    source.domain = domain
    source.full_clean()
    source.save()
    return source


def language_for(event):
    """
    The report's language, from the mention of it (GDELT's translation information):
    "und" (undetermined) when no mention names the source URL.
    """
    if event.link:
        for mention in event.mentions.filter(identifier=event.link):
            if language := mention.language:
                return language
    return UNDETERMINED


def unique_slug(model, base):
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- the draft claim ---------------------------------------------------------------------


def draft_claim(event):
    """A draft claim of the event, without evidence until an editor quotes the article."""
    claim = Claim(
        statement=f"{event.description} (GDELT event {event.pk}, to be checked)"[:400],
        kind=codes.kind_for(event.event_code),
        occurred_on=event.occurred_on,
        date_precision=Claim.Precision.DAY,
        place=event.action_geo_name[:200],
        country=event.action_country,
        status=Status.DRAFT,
    )
    claim.slug = slugify(claim.statement)[:80].strip("-") or "claim"
    claim.full_clean()
    claim.save()
    target = (
        ClaimActor.Role.TARGET
        if event.quad_class in (QuadClass.VERBAL_CONFLICT, QuadClass.MATERIAL_CONFLICT)
        else ClaimActor.Role.PARTICIPANT
    )
    roles = [
        (
            actor_for(event.actor1_name, event.actor1_country_id, event.actor1_type_code),
            ClaimActor.Role.PARTICIPANT,
        ),
        (actor_for(event.actor2_name, event.actor2_country_id, event.actor2_type_code), target),
    ]
    for actor, role in dict.fromkeys((actor, role) for actor, role in roles if actor):
        role_row = ClaimActor(claim=claim, actor=actor, role=role)
        role_row.full_clean()
        role_row.save()
    return claim


def actor_for(name, country_id, type_code):
    """
    Our actor for a GDELT actor: the one its name or an alias names; the country's armed
    forces or government when the CAMEO code says MIL or GOV and the country has exactly
    one (rather than the country itself, which GDELT often names them by: CHNMIL
    "CHINA"); else the state of the actor's country (SRB alone is Serbia), so that the
    claim still involves the country.
    """
    named = None
    if name:
        alias = rf"(^|\n){re.escape(name)}\r?(\n|$)"
        named = (
            Actor.objects.filter(name__iexact=name).order_by("pk").first()
            or Actor.objects.filter(aliases__iregex=alias).order_by("pk").first()
        )
    in_role = None
    if country_id and (kind := codes.ACTOR_KINDS.get(type_code)):
        candidates = list(Actor.objects.filter(kind=kind, country_id=country_id)[:2])
        in_role = candidates[0] if len(candidates) == 1 else None
    if named and not (named.kind == Actor.Kind.STATE and in_role):
        return named
    if in_role or not country_id:
        return in_role
    return Actor.objects.filter(kind=Actor.Kind.STATE, country_id=country_id).first()
