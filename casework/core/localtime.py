"""The agency's local time (``BABEL_DEFAULT_TIMEZONE``, Asia/Jakarta): its days, months and midnights.

Figures count by local days and months: a complaint received at 00:30 on
1 October in Jakarta belongs to October, though it is still 30 September in
UTC, where timestamps are stored.
"""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def local_zone():
    """The agency's time zone."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_today():
    """Today in the agency's time zone."""
    return datetime.now(local_zone()).date()


def local_midnight(day):
    """The instant local midnight begins ``day``."""
    return datetime.combine(day, time(), local_zone())


def month_start(year, month):
    """The UTC instant local midnight begins ``month`` of ``year`` (month 13 is January of the next year)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=local_zone()).astimezone(UTC)
