"""The supervisor's desk section of family tracing: follow-up visits after a reunification that are overdue.

A supervisor sees the visits of their unit's cases; an administrator those of
the whole agency. Each row links to the visit's form, which returns to the desk.
"""

from datetime import date

from casework.auth.models import Role
from casework.tracing.queries import overdue_visits

# Visits listed at once; the most overdue come first.
VISITS_SHOWN = 50


def section(user, today=None):
    """("tracing/_desk_section.html", context) listing the overdue follow-up visits; None when none is."""
    today = today or date.today()
    unit_id = user.unit_id if user.role == Role.SUPERVISOR else None
    visits = overdue_visits(user.agency_id, unit_id, today)[:VISITS_SHOWN]
    if not visits:
        return None
    return "tracing/_desk_section.html", {"overdue_visits": visits, "today": today}
