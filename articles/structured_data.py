"""schema.org JSON-LD for claim, article and event pages."""

from .links import web_url
from .models import Claim

# ClaimReview's rating: 5 = corroborated … 1 = refuted, as fact-checkers publish it.
RATINGS = {
    Claim.Verification.CORROBORATED: 5,
    Claim.Verification.DISPUTED: 3,
    Claim.Verification.REFUTED: 1,
}
PUBLISHER = {"@type": "Organization", "name": "newsclaims"}


def claim_data(claim, absolute):
    appearances = [
        {
            "@type": "NewsArticle",
            "headline": item.article.title,
            "url": web_url(item.article.url) or absolute(item.article.get_absolute_url()),
            "datePublished": item.article.published_at.isoformat(),
            "publisher": {"@type": "Organization", "name": item.article.source.name},
        }
        for item in claim.evidence.all()
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "text": claim.statement,
        "url": absolute(claim.get_absolute_url()),
        "datePublished": claim.created_at.isoformat(),
        "appearance": appearances,
    }
    if appearances:
        data["firstAppearance"] = appearances[0]
    if claim.verification not in RATINGS:
        return data
    claim_only = {key: value for key, value in data.items() if key != "@context"}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(claim.get_absolute_url()),
        "claimReviewed": claim.statement,
        "itemReviewed": claim_only,
        "author": PUBLISHER,
        "datePublished": claim.created_at.isoformat(),
        "dateModified": claim.updated_at.isoformat(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[claim.verification],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": claim.get_verification_display(),
        },
    }


def article_data(article, absolute):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "url": absolute(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "inLanguage": article.language,
        "publisher": {"@type": "Organization", "name": article.source.name},
    }
    if article.authors:
        data["author"] = [
            {"@type": "Person", "name": name.strip()}
            for name in article.authors.split(",")
            if name.strip()
        ]
    if original := web_url(article.url):
        data["isBasedOn"] = original
    if article.summary:
        data["description"] = article.summary
    return data


def event_data(event, absolute):
    location = {"@type": "Place", "name": event.place or str(event.host_country or "")}
    if event.host_country:
        location["address"] = {"@type": "PostalAddress", "addressCountry": event.host_country.code}
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.name,
        "url": absolute(event.get_absolute_url()),
        "startDate": event.start_date.isoformat(),
        "endDate": (event.end_date or event.start_date).isoformat(),
        "location": location,
        "eventStatus": "https://schema.org/EventScheduled",
    }
    if event.description:
        data["description"] = event.description
    return data
