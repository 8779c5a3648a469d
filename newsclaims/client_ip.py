import ipaddress
import re

from django.conf import settings

# An address as proxies write it: IPv4 with or without a port, IPv6 bare, or IPv6 in
# brackets with or without a port ("[2001:db8::1]:443", RFC 7239 style).
HOST_AND_PORT = re.compile(
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<v4>[0-9.]+))(?::(?P<port>[0-9]{1,5}))?"
)


def client_ip(request):
    """
    The client's address as our own proxies saw it, or None. Each of the PROXY_COUNT
    trusted proxies in front of the app appends the address it received the request from
    to X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right; anything
    further left was sent by the client and cannot be trusted.

    django-axes stores what this returns in an inet column, so only a real address, in
    its usual form, is ever returned. An entry that is not one (the count is wrong, or a
    proxy is misbehaving) falls back to the address the request came from.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= count and (address := parse_address(forwarded[-count])):
            return address
    return parse_address(request.META.get("REMOTE_ADDR", ""))


def parse_address(text):
    """'192.0.2.1' from '192.0.2.1:5678', '2001:db8::1' from '[2001:DB8::1]:443'; or None."""
    text = text.strip()
    if match := HOST_AND_PORT.fullmatch(text):
        text = match["v6"] or match["v4"]
        if match["v6"] and ":" not in text:
            return None  # brackets are for IPv6 only
        if match["port"] and int(match["port"]) > 65535:
            return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6:
        if address.scope_id:
            return None  # fe80::1%eth0: a link-local detail no proxy forwards
        address = address.ipv4_mapped or address
    return str(address)
