"""The agency's follow-up visit schedule after a reunification: day offsets such as "7,30,90".

Kept apart from the services so the agency settings (``casework.admin``) can
check the setting without importing the tracing operations.
"""

import re
from itertools import pairwise

from flask_babel import gettext as _

FIELD = "followup_visit_days"
MAX_VISITS = 10
MAX_DAY = 730
_SEPARATORS = re.compile(r"[\s,;]+")


def parse_visit_days(text):
    """The day offsets in ``text`` as a tuple of ints; ValueError when malformed. No check of the rules."""
    parts = [part for part in _SEPARATORS.split(str(text or "").strip()) if part]
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError(text)
    return tuple(int(part) for part in parts)


def checked_offsets(problems, value, field, maximum, message):
    """``value`` normalised ("7,30,90"): 1 to MAX_VISITS offsets from 1 to ``maximum``, rising; else ``message``."""
    try:
        offsets = parse_visit_days(value)
    except ValueError:
        offsets = ()
    rising = all(earlier < later for earlier, later in pairwise(offsets))
    if not offsets or len(offsets) > MAX_VISITS or not rising or offsets[0] < 1 or offsets[-1] > maximum:
        problems.add(field, message)
        return None
    return ",".join(str(offset) for offset in offsets)


def checked_visit_days(problems, value, field=FIELD):
    """The schedule ``value`` normalised ("7,30,90"): 1 to 10 days from 1 to 730, rising; else a noted problem."""
    message = _(
        "Isi hari kunjungan setelah reunifikasi, dipisah koma dan makin besar, misalnya 7,30,90 "
        "(paling banyak %(n)d kunjungan, hari 1 sampai %(max)d).",
        n=MAX_VISITS,
        max=MAX_DAY,
    )
    return checked_offsets(problems, value, field, MAX_DAY, message)
