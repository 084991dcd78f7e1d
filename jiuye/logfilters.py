"""Logging filters that keep personal data out of logs.

Search terms (names, identity numbers, phones) travel in query strings; the development server's
access log and Django's request log would print them. ``RedactQueryStrings`` removes every query
string from log records before they are written.
"""
from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")


def redact(text: str) -> str:
    return _QUERY.sub("?…", text)


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
