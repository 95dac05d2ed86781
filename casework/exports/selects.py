"""The selects behind each exported list, built from the query string exactly as the list page builds them.

A list page, its API endpoint and its file call the same function here (or
the feature's own query), so the file holds the rows the page's filters
select, in the page's order, on every page at once.
"""

from flask_login import current_user

from casework.cases import queries as case_queries
from casework.cases.forms import CaseloadFilterForm
from casework.clients import queries as client_queries
from casework.clients.forms import SearchForm
from casework.findings import queue

# The caseload's tabs by role, as ``casework.cases.routes.TABS`` offers them (first: the role's default).
_CASE_TABS = ("mine", "unit", "all")


def clients():
    """The registry as the client list searches it (``q``: a name, best match first, or a NIK prefix)."""
    return client_queries.search(current_user.agency_id, **SearchForm().values())


def case_tabs(user):
    """The caseload tabs ``user`` sees, in order."""
    from casework.cases.routes import TABS

    return [key for key in _CASE_TABS if user.role in TABS[key][1]]


def cases():
    """The caseload of the chosen tab (``scope``), filtered by stage, overdue kind and ``q``, as the page lists it."""
    from casework.cases.routes import holder_filter

    values = CaseloadFilterForm().values()
    tabs = case_tabs(current_user)
    scope = values.pop("scope", None)
    scope = scope if scope in tabs else tabs[0]
    return case_queries.caseload(current_user.agency, **holder_filter(scope, current_user), **values, user=current_user)


def triage():
    """The user's triage queue, emergencies first, then the longest waiting."""
    return queue.queue_select(current_user)
