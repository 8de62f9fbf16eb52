"""Filters for the production log (settings.LOGGING), and what a log line may quote."""

import logging
import re

# user:password@ in a URL an error message quotes (a broker's, a database's).
_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]*@")


# What could end a log line or forge one (a carriage return, a line feed, an escape that moves a
# terminal's cursor, U+2028/U+2029), and the backslash that writes them out.
_UNSAFE_IN_A_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")


def one_line(text: str) -> str:
    """`text` from a client (a request's path) as a log line may quote it: its control
    characters written out as Python escapes (`\\r\\n`), as Django's request log writes a
    path, so that a `%0d%0a` in an address cannot start a line of its own. Other characters
    (Chinese in a path) are kept as they are."""
    return _UNSAFE_IN_A_LINE.sub(
        lambda found: found.group().encode("unicode_escape").decode("ascii"), text
    )


def without_credentials(text: str) -> str:
    """`text` with any user:password@ of a URL in it cut out, as a log line may quote it."""
    return _CREDENTIALS.sub("***@", text)


class OneLineWarning(logging.Filter):
    """Logs a record as one WARNING line, without its traceback: for what the client did wrong
    and the site answered as it should (a Host it does not serve, which scanners send to every
    address all day), so that it does not read as an error of the site's own."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = (
                logging.WARNING,
                logging.getLevelName(logging.WARNING),
            )
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


class ClientErrorWithoutTraceback(logging.Filter):
    """Logs a request answered with a client error (4xx: a page refused, PermissionDenied; a
    body that could not be read) without its traceback, which Django 5 attaches to each: the
    site answered as it should, the line naming the path says all an operator needs. A server
    error (5xx) keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
