"""Logging without addresses: a path can hold a booking's, a watch's or a set-up link's token."""

import logging


class PathAsViewName(logging.Filter):
    """Django's request log says "Internal Server Error: /training/bookings/<token>/": write the
    view's name in place of the path, so the log keeps what a developer needs and no secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path and isinstance(record.args, tuple) and path in record.args:
            match = getattr(request, "resolver_match", None)
            name = match.view_name if match is not None else "an unresolved address"
            record.args = tuple(name if arg == path else arg for arg in record.args)
        return True
