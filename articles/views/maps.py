"""The claims map: /claims/map.svg?<any claims filters>, countries shaded by claims."""

from django.http import HttpResponse
from django.utils.translation import gettext

from .. import listing, worldmap
from ..responses import form_errors


def claim_map(request):
    """
    The map for the claims the filters select (the same filters, checked the same way,
    as the claims list). Bad filters answer 400 with the reasons, as plain text: an
    <img> shows nothing either way, and someone opening the address reads why.
    """
    found = listing.find(request)
    if not found.valid:
        reasons = "\n".join(
            f"{field}: {message}"
            for field, messages in form_errors(found.filterset).items()
            for message in messages
        )
        return HttpResponse(
            gettext("These filters cannot be used.") + f"\n{reasons}\n",
            content_type="text/plain; charset=utf-8",
            status=400,
        )
    return HttpResponse(
        worldmap.svg(worldmap.counted(found, request.GET)), content_type="image/svg+xml"
    )
