"""
Bounded database work for public requests, and a 503 (not a 500) when the database
cannot answer.
"""

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.log import log_response
from django.utils.translation import gettext_lazy as _

from .pg import timed_out, use_statement_timeout
from .responses import unavailable

UNREACHABLE = _("The database is not answering just now. Try again in a minute.")
TOO_SLOW = _(
    "This took longer than the site allows a request to take. Try again in a minute, "
    "or narrow the filters."
)


class StatementTimeoutMiddleware:
    """
    Public requests run under STATEMENT_TIMEOUT (downloads raise it to
    EXPORT_STATEMENT_TIMEOUT), the admin under the server's own setting. Connections
    outlive requests, so every request resolved to a view says which it runs under:
    an admin request on a connection a public one used does not inherit its limit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        admin = "admin" in request.resolver_match.namespaces
        try:
            use_statement_timeout(None if admin else settings.STATEMENT_TIMEOUT)
        except (OperationalError, InterfaceError) as error:
            return database_unavailable(request, error)
        return None


class DatabaseUnavailableMiddleware:
    """
    A database that is down, restarting or out of connections, or a statement cancelled
    past its time limit, answers 503 with Retry-After in the address's own format (see
    responses.unavailable): clients and load balancers retry a 503, while a 500 says the code
    is broken. Logged as one line without a traceback, which would say nothing more.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return database_unavailable(request, exception)
        return None


def database_unavailable(request, error):
    slow = timed_out(error)
    response = unavailable(request, str(TOO_SLOW if slow else UNREACHABLE))
    log_response(
        "%s: %s (%s)",
        "Statement timeout" if slow else "Database unavailable",
        request.path,
        str(error).strip(),
        response=response,
        request=request,
    )
    return response
