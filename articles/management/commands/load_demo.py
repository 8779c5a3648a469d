"""
Load the demo data (articles/demo_data.py, bodies in settings.DEMO_DATA_DIR).

Rows are found by their natural keys (slugs; evidence by claim and article; roles by
claim, actor and role) and saved only when a value differs, so running the command again
changes nothing. Extra roles, participants or evidence added by editors are left alone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles import demo_data, derived
from articles.models import (
    Actor,
    Article,
    Claim,
    ClaimActor,
    Country,
    Event,
    Evidence,
    Source,
    Status,
)


class Command(BaseCommand):
    help = "Load the demo articles, actors, events and claims. Running it again changes nothing."

    def handle(self, *args, **options):
        loader = DemoLoader(settings.DEMO_DATA_DIR)
        # One transaction, and derived data refreshed once at its end.
        with derived.batch():
            loader.load()
        self.stdout.write(loader.summary())


class DemoLoader:
    def __init__(self, directory):
        self.directory = directory
        self.created = self.updated = self.unchanged = 0
        self.countries = {}
        self.actors = {}

    def load(self):
        sources = {spec["slug"]: self.load_source(spec) for spec in demo_data.SOURCES}
        for spec in demo_data.STATE_ACTORS:
            self.load_state_actor(spec)
        for spec in demo_data.ACTORS:
            self.load_actor(spec)
        events = {spec["slug"]: self.load_event(spec) for spec in demo_data.EVENTS}
        articles = {
            spec["slug"]: self.load_article(spec, sources[spec["source"]])
            for spec in demo_data.ARTICLES
        }
        for spec in demo_data.CLAIMS:
            self.load_claim(spec, events, articles)

    def summary(self):
        return (
            f"Demo data: {len(demo_data.ARTICLES)} articles, {len(demo_data.CLAIMS)} claims, "
            f"{sum(len(spec['evidence']) for spec in demo_data.CLAIMS)} evidence quotes, "
            f"{len(demo_data.EVENTS)} events, {len(demo_data.SOURCES)} sources "
            f"(rows created {self.created}, updated {self.updated}, "
            f"already present {self.unchanged})."
        )

    # --- Lookups ---------------------------------------------------------------------

    def country(self, code):
        if code is None:
            return None
        if code not in self.countries:
            self.countries[code] = Country.objects.get(code=code)
        return self.countries[code]

    def actor(self, slug):
        # Actors not in the demo data are the state actors created by the migrations.
        if slug not in self.actors:
            try:
                self.actors[slug] = Actor.objects.get(slug=slug)
            except Actor.DoesNotExist:
                raise CommandError(
                    f"No actor with slug {slug!r}: are the migrations applied?"
                ) from None
        return self.actors[slug]

    # --- Writing ---------------------------------------------------------------------

    def sync(self, model, lookup, **values):
        """
        The row matching `lookup`, created with `values` if missing, or brought up to date
        with them. A row that already matches is not saved, so its updated_at stays put.
        """
        row = model._default_manager.filter(**lookup).order_by("pk").first()
        if row is None:
            row = model(**lookup, **values)
            self.validate(row, lookup)
            row.save()
            self.created += 1
            return row
        fields = [model._meta.get_field(name) for name in values]
        before = [field.value_from_object(row) for field in fields]
        for name, value in values.items():
            setattr(row, name, value)
        # Validation may normalise values (a claim's date), so compare afterwards.
        self.validate(row, lookup)
        if [field.value_from_object(row) for field in fields] == before:
            self.unchanged += 1
        else:
            row.save()
            self.updated += 1
        return row

    @staticmethod
    def validate(row, lookup):
        try:
            row.full_clean()
        except ValidationError as error:
            raise CommandError(
                f"Invalid demo {type(row)._meta.verbose_name} {lookup}: {error}"
            ) from error

    def load_source(self, spec):
        return self.sync(Source, {"slug": spec["slug"]}, name=spec["name"], domain=spec["domain"])

    def load_state_actor(self, spec):
        actor = self.actor(spec["slug"])
        self.actors[spec["slug"]] = self.sync(
            Actor,
            {"pk": actor.pk},
            aliases="\n".join(spec["aliases"]),
            wikidata_id=spec["wikidata_id"],
        )

    def load_actor(self, spec):
        self.actors[spec["slug"]] = self.sync(
            Actor,
            {"slug": spec["slug"]},
            name=spec["name"],
            kind=spec["kind"],
            country=self.country(spec["country"]),
            aliases="\n".join(spec["aliases"]),
            wikidata_id=spec.get("wikidata_id", ""),
        )

    def load_event(self, spec):
        event = self.sync(
            Event,
            {"slug": spec["slug"]},
            name=spec["name"],
            kind=spec["kind"],
            start_date=spec["start_date"],
            end_date=spec["end_date"],
            place=spec["place"],
            host_country=self.country(spec["host_country"]),
            description=spec["description"],
        )
        present = set(event.participants.values_list("pk", flat=True))
        for slug in spec["participants"]:
            actor = self.actor(slug)
            if actor.pk in present:
                self.unchanged += 1
            else:
                event.participants.add(actor)
                self.created += 1
        return event

    def load_article(self, spec, source):
        path = self.directory / f"{spec['slug']}.txt"
        try:
            # Bytes, not read_text(): the body must be exactly the file, line endings included.
            body = path.read_bytes().decode("utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read the demo article {path}: {error}") from error
        return self.sync(
            Article,
            {"slug": spec["slug"]},
            title=spec["title"],
            url=spec["url"],
            source=source,
            authors=spec["authors"],
            published_at=spec["published_at"],
            language=spec["language"],
            body=body,
            summary=spec["summary"],
            status=spec["status"],
        )

    def load_claim(self, spec, events, articles):
        existed = Claim.objects.filter(slug=spec["slug"]).exists()
        # A new claim starts as a draft: it may only be published once it has evidence.
        claim = self.sync(
            Claim,
            {"slug": spec["slug"]},
            statement=spec["statement"],
            kind=spec["kind"],
            occurred_on=spec.get("occurred_on"),
            date_precision=spec.get("date_precision", ""),
            place=spec.get("place", ""),
            country=self.country(spec.get("country")),
            event=events[spec["event"]] if spec.get("event") else None,
            verification=spec.get("verification", Claim.Verification.REPORTED),
        )
        for slug, role in spec["actors"]:
            self.sync(ClaimActor, {"claim": claim, "actor": self.actor(slug), "role": role})
        for article_slug, stance, quote in spec["evidence"]:
            self.sync(
                Evidence,
                {"claim": claim, "article": articles[article_slug]},
                stance=stance,
                quote=quote,
            )
        status = spec.get("status", Status.PUBLISHED)
        if claim.status != status:
            if status == Status.PUBLISHED and (problem := claim.publication_problem()):
                raise CommandError(f"Cannot publish the demo claim {claim.slug!r}: {problem}")
            claim.status = status
            self.validate(claim, {"slug": claim.slug})
            claim.save()
            # Publishing a claim this run created is part of creating it.
            if existed:
                self.updated += 1
