"""
Whole-page caching that never serves a stale page.

Pages are stored under the number of the latest change log entry (`Change`), which
every change readers can see moves on, so an edit or a publication makes every stored
page unreachable at once instead of after a timeout; editing a draft does not. Only
the view's own response is stored: security headers are still added by the middleware
on every request.

The cache is shared by everyone a worker serves, so it only ever holds and serves pages
for requests without a session: a signed-in page may be personal (staff see a link to
the admin).
"""

import logging
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import (
    add_never_cache_headers,
    get_cache_key,
    learn_cache_key,
    patch_cache_control,
)

from .derived import change_seq

logger = logging.getLogger(__name__)

# Old versions' pages are never asked for again; this only bounds how long they linger.
TIMEOUT = 60 * 60


def cached_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # Whoever has a session may be signed in: neither served from the cache nor
        # stored in it, nor in any other. (The cookie costs nothing to check; the user
        # would cost a query.)
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Read once: the read engine catches up to the same number (engine.for_request).
        request.change_seq = change_seq()
        prefix = f"change-{request.change_seq}"
        if (response := stored(request, prefix)) is not None:
            return response
        response = view(request, *args, **kwargs)
        # The same for everyone, but current only until the next edit, which no cache
        # outside this process hears of.
        patch_cache_control(response, public=True, max_age=0)
        # Error pages and anything personal (cookies) are not stored.
        if response.status_code == 200 and not response.streaming and not response.cookies:

            def store(response):
                # One piece, not the thousands of small writes a feed is made of: each
                # piece of a response is a separate write to the socket.
                response.content = response.content
                try:
                    key = learn_cache_key(request, response, TIMEOUT, prefix, cache=cache)
                    cache.set(key, response, TIMEOUT)
                except Exception as error:  # noqa: BLE001 (whatever the backend raises)
                    unavailable(error)

            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(store)  # a TemplateResponse (sitemaps)
            else:
                store(response)
        return response

    return wrapped


def stored(request, prefix):
    """The page stored for this request, or None."""
    try:
        # A HEAD is answered from the page a GET stored, as Django's cache middleware does.
        for method in ("GET", "HEAD") if request.method == "HEAD" else ("GET",):
            key = get_cache_key(request, prefix, method, cache=cache)
            if key is not None and (response := cache.get(key)) is not None:
                return response
    except Exception as error:  # noqa: BLE001 (whatever the backend raises)
        unavailable(error)
    return None


def unavailable(error):
    # A shared cache (Redis) that is down or full costs speed, never an answer: the
    # page is rendered as if it had not been stored.
    logger.warning("page cache unavailable: %s: %s", type(error).__name__, error)
