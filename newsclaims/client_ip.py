from django.conf import settings


def client_ip(request):
    """
    The client's address as our own proxies saw it. Each of the PROXY_COUNT trusted
    proxies in front of the app appends the address it received the request from to
    X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right; anything
    further left was sent by the client and cannot be trusted.
    """
    count = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
