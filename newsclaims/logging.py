"""One line per log record, as key=value pairs (logfmt), so logs can be grepped and parsed."""

import logging

FIELDS = ("levelname", "name")


def quote(value):
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"' if any(c in text for c in ' ="\\') or not text else text


class LogfmtFormatter(logging.Formatter):
    """
    time=… level=… logger=… [method=… path=… status=…] msg="…" [exc="…"]

    Request records carry the method and path only: never headers, cookies, query
    strings or bodies, where secrets live.
    """

    def format(self, record):
        pairs = [
            ("time", self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z")),
            ("level", record.levelname.lower()),
            ("logger", record.name),
        ]
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            pairs += [("method", request.method), ("path", request.path)]
        if hasattr(record, "status_code"):
            pairs.append(("status", record.status_code))
        pairs.append(("msg", record.getMessage()))
        if record.exc_info:
            pairs.append(("exc", self.formatException(record.exc_info)))
        return " ".join(f"{key}={quote(value)}" for key, value in pairs)


class AsWarning(logging.Filter):
    """
    Log the record as a warning, without its traceback: for refusals that are routine rather
    than errors. Django logs a Host header that ALLOWED_HOSTS refuses as an error with a
    traceback; scanners send thousands, and the traceback says nothing the message does not.
    """

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True
