"""Filters for the production log (settings.LOGGING), and what a log line may quote."""

import logging
import re

# user:password@ in a URL an error message quotes (a broker's, a database's).
_CREDENTIALS = re.compile(r"(?<=://)[^/@\s]*@")


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
