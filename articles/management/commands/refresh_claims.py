from django.core.management.base import BaseCommand

from articles.models import Claim, ContentVersion, refresh_all_claim_counts


class Command(BaseCommand):
    help = (
        "Rebuild every claim's denormalised data (country links and search document) and "
        "the claim counts of countries, actors and events. Run after importing rows with "
        "bulk operations, which bypass the signals."
    )

    def handle(self, *args, **options):
        claims = Claim.objects.select_related("event", "country").order_by("pk")
        total = 0
        for claim in claims.iterator(chunk_size=500):
            claim.refresh_denormalised(counts=False)
            total += 1
        # Every count once at the end, not each claim's countries and actors per claim.
        refresh_all_claim_counts()
        ContentVersion.bump()  # search results and country pages may read differently
        self.stdout.write(f"Refreshed {total} claims.")
