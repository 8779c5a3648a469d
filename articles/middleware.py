"""A 503 (not a 500) when the database cannot answer."""

from django.db import InterfaceError, OperationalError
from django.utils.log import log_response

from .pg import timed_out
from .views import unavailable

UNREACHABLE = "The database is not answering just now. Try again in a minute."
TOO_SLOW = (
    "This took longer than the site allows a request to take. Try again in a minute, "
    "or narrow the filters."
)


class DatabaseUnavailableMiddleware:
    """
    A database that is down, restarting or out of connections, or a statement cancelled
    past its time limit, answers 503 with Retry-After in the address's own format (see
    views.unavailable): clients and load balancers retry a 503, while a 500 says the code
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
    response = unavailable(request, TOO_SLOW if slow else UNREACHABLE)
    log_response(
        "%s: %s (%s)",
        "Statement timeout" if slow else "Database unavailable",
        request.path,
        str(error).strip(),
        response=response,
        request=request,
    )
    return response
