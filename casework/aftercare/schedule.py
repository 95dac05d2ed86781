"""The agency's aftercare visit schedule: month offsets after termination such as "6,12,18,24,36".

Kept apart from the services so the agency settings (``casework.admin``) can
check the setting without importing the aftercare operations.
"""

from flask_babel import gettext as _

from casework.tracing.schedule import MAX_VISITS, checked_offsets, parse_visit_days

FIELD = "aftercare_visit_months"
MAX_MONTH = 120


def visit_months(agency):
    """The agency's month offsets as a tuple of ints (the setting is checked when saved)."""
    return parse_visit_days(agency.aftercare_visit_months)


def checked_visit_months(problems, value, field=FIELD):
    """The schedule ``value`` normalised ("6,12,18"): 1 to 10 months from 1 to 120, rising; else a noted problem."""
    message = _(
        "Isi bulan kunjungan bimbingan lanjut setelah terminasi, dipisah koma dan makin besar, misalnya "
        "6,12,18,24,36 (paling banyak %(n)d kunjungan, bulan 1 sampai %(max)d).",
        n=MAX_VISITS,
        max=MAX_MONTH,
    )
    return checked_offsets(problems, value, field, MAX_MONTH, message)
