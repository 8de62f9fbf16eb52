"""The site's answer to a request that failed on the server (urls.handler500), and to one Django
refused before any view (urls.handler400: a host the site does not serve, another suspicious
operation).

A failure that is the database being out of reach (refused, lost, too many connections, short of
disk or memory, shutting down, ending an idle session) is not a bug of the request: it is answered
503 Service Unavailable with Retry-After, as a load balancer and a client's retry loop expect, and
logged as one line. So is a query PostgreSQL cancelled (a web process's statement timeout,
DATABASE_STATEMENT_TIMEOUT, waiting on a lock): gunicorn would otherwise end the request with an
empty reply once its worker timeout passed. So is a transaction PostgreSQL ended for another one
running at the same time (a deadlock, a serialization failure), with a message saying nothing
was saved and to try again: the same request passes then. Every other failure, including a
wrong query (SQLite says "no such table" with an OperationalError too), stays 500.
"""

import logging
import sqlite3
import sys

from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import Error as DatabaseLibraryError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import bad_request as page_bad_request
from django.views.defaults import server_error as page_server_error

from core.api.middleware import is_api_request
from core.exceptions import RETRY_AFTER_SECONDS
from core.logs import one_line, without_credentials

try:
    import psycopg2
    import psycopg2.errors
except ImportError:  # pragma: no cover - a deployment on SQLite alone
    psycopg2 = None

logger = logging.getLogger(__name__)

# PostgreSQL's SQLSTATEs (Appendix A) for a server that cannot take the request now, a condition
# of the server's that passes, not of the request's:
# - class 08, a connection that could not be made or was lost, also while committing (08007), but
#   not 08P01 (a malformed message, the client's bug);
# - class 53, the server short of resources: in general (53000), of disk (53100), of memory
#   (53200), of connections (53300); not 53400 configuration_limit_exceeded, which a request
#   meets as temp_file_limit, its own query's size, that a retry repeats (the others, replication
#   slots and background workers, are not a web request's);
# - class 57, the server ending the session: an administrator (57P01), a crash (57P02), starting
#   or stopping (57P03), idle_session_timeout (57P05); not 57014 (a statement timeout or a cancel,
#   the query's own) nor 57P04 (the database dropped: gone, not to be waited for).
PG_UNAVAILABLE = frozenset(
    {
        *("08000", "08001", "08003", "08004", "08006", "08007"),
        *("53000", "53100", "53200", "53300"),
        *("57P01", "57P02", "57P03", "57P05"),
    }
)
# SQLite's primary result codes for a database file that cannot be used now: busy (another
# process's write outlasted the timeout), unopenable (a missing volume, permissions), I/O error.
SQLITE_UNAVAILABLE = frozenset({5, 10, 14})


def _postgresql_unavailable(error: Exception) -> bool:
    if isinstance(error, psycopg2.InterfaceError):  # the connection is closed
        return True
    if not isinstance(error, psycopg2.OperationalError):
        return False
    code = error.pgcode
    if code is None and type(error) is not psycopg2.OperationalError:
        # Raised as its SQLSTATE's class (psycopg2.errors) without the server's code.
        code = next((c for c in PG_UNAVAILABLE if psycopg2.errors.lookup(c) is type(error)), "")
    # No SQLSTATE at all: the server never answered (refused, unreachable, closed, timed out).
    return code is None or code in PG_UNAVAILABLE


def database_unavailable(error: BaseException) -> bool:
    """Whether `error`, as Django raised it, says the database cannot be reached now (rather than
    that the query or the data was wrong). Django raises its own class with the driver's error
    as the cause, whose code tells them apart."""
    if not isinstance(error, DatabaseLibraryError):
        return False
    cause = error.__cause__
    if psycopg2 is not None and isinstance(cause, psycopg2.Error):
        return _postgresql_unavailable(cause)
    if isinstance(cause, sqlite3.OperationalError):
        code = getattr(cause, "sqlite_errorcode", None)
        # An extended code (SQLITE_IOERR_READ, ...) carries its primary code in its low byte.
        return code is not None and code & 0xFF in SQLITE_UNAVAILABLE
    return False


def statement_timed_out(error: BaseException) -> bool:
    """Whether `error`, as Django raised it, is a query PostgreSQL cancelled (57014): past the
    web processes' statement timeout (DATABASE_STATEMENT_TIMEOUT), most often waiting for a
    lock another transaction holds, or cancelled by an operator. A web request answers it 503,
    as the database being out of reach: the same request is likely to pass once the lock is let
    go. Not one for a task to retry (`database_unavailable` leaves it out): workers have no
    statement timeout, and a query cancelled by hand is not to be run again."""
    if psycopg2 is None or not isinstance(error, DatabaseLibraryError):
        return False
    return isinstance(error.__cause__, psycopg2.errors.QueryCanceled)


# PostgreSQL's SQLSTATEs for a transaction it ended because of another one running at the same
# time: serialization_failure (40001) and deadlock_detected (40P01, two writers each waiting for
# a row the other had locked). Nothing of it was written; the same request run again passes.
PG_CONCURRENT = frozenset({"40001", "40P01"})


def transaction_conflicted(error: BaseException) -> bool:
    """Whether `error`, as Django raised it, is PostgreSQL ending this transaction for another
    one that ran at the same time (PG_CONCURRENT). Answered 503 with Retry-After, and a message
    that says so, as a statement cancelled waiting on a lock is: not a bug of the request."""
    if psycopg2 is None or not isinstance(error, DatabaseLibraryError):
        return False
    cause = error.__cause__
    if isinstance(cause, psycopg2.errors.DeadlockDetected | psycopg2.errors.SerializationFailure):
        return True
    return getattr(cause, "pgcode", None) in PG_CONCURRENT


def _unavailable(
    request, error: BaseException, *, what: str, message: str | None = None
) -> HttpResponse:
    reason = without_credentials(" ".join(str(error).split()))
    logger.error(
        "%s: %s %s answered 503 (%s: %s)",
        what,
        one_line(request.method),
        one_line(request.path),
        type(error).__name__,
        reason,
    )
    message = message or _("The service is temporarily unavailable. Try again in a moment.")
    if is_api_request(request):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Without the request's context, as Django renders its 500 page: nothing that asks the
        # database again.
        page = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    # Logged above, in one line: Django's own line would repeat it with the whole traceback.
    response._has_been_logged = True
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    """API and CASE clients get JSON, in the shape of every other API error, naming nothing of
    the failure (the log has it); pages get the site's 500 page. The database out of reach is a
    503 with Retry-After instead (see the module's docstring). Django calls this while handling
    the exception, which sys.exc_info() gives."""
    error = sys.exc_info()[1]
    if error is not None and database_unavailable(error):
        return _unavailable(request, error, what="Database unavailable")
    if error is not None and statement_timed_out(error):
        # The server's message says why ("canceling statement due to statement timeout").
        return _unavailable(request, error, what="Database query cancelled")
    if error is not None and transaction_conflicted(error):
        return _unavailable(
            request,
            error,
            what="Database transaction ended for a concurrent one",
            message=_(
                "The data was changed by another request at the same time. Nothing was saved; "
                "try again."
            ),
        )
    if is_api_request(request):
        return JsonResponse(
            {"detail": _("A server error occurred. Try again in a moment.")}, status=500
        )
    return page_server_error(request, template_name)


@requires_csrf_token
def bad_request(request, exception, template_name: str = "400.html"):
    """API and CASE clients get the API's JSON error body, as handler500 answers them; pages get
    the site's 400 page. Django calls this for what it refuses before any view: a Host the site
    does not serve (DJANGO_ALLOWED_HOSTS), or another SuspiciousOperation. The host is not
    repeated: it is the sender's text."""
    if is_api_request(request):
        if isinstance(exception, DisallowedHost):
            detail = _("This site does not serve the host this request names.")
        else:
            detail = _("Malformed request.")  # DRF's ParseError, in DRF's translations
        return JsonResponse({"detail": detail}, status=400)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # A form within the site's own forms' reach (a pasted block of the map, a selection set
        # to a level) that is too large: said as such, so that the sender knows what to do.
        # Rendered as Django renders the others: without the request's context.
        message = _("Too much was sent at once: send it in smaller parts (fewer cells or rows).")
        body = loader.get_template(template_name).render({"message": message})
        return HttpResponse(body, status=400)
    return page_bad_request(request, exception, template_name)
