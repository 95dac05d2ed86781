"""Who may do what: one table of permissions by role, used by pages and the API alike.

Every view declares its permission with ``@require(...)`` or ``@public``; a
test walks the URL map and fails on any view that declares neither.
"""

from functools import wraps

from flask import abort, current_app
from flask_login import current_user

from casework.auth.models import Role

ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER, Role.VIEWER})

PERMISSIONS = {
    # Every signed-in user: their home page, their own API tokens, look-ups.
    "home.view": ALL_ROLES,
    "account.self": ALL_ROLES,
    "reference.view": ALL_ROLES,
    # Administration of the agency, its units, users and reference data.
    "admin.agency": frozenset({Role.ADMIN}),
    "admin.units": frozenset({Role.ADMIN}),
    "admin.users": frozenset({Role.ADMIN}),
    "reference.manage": frozenset({Role.ADMIN}),
    # The directory of units and partners is read by all staff (referrals need it).
    "org.view": STAFF,
    # The client registry (PPKS): kept by case staff, read by data officers; volunteers' access comes later.
    "clients.view": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER}),
    "clients.manage": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),
    "clients.identity": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),  # names/NIK/KK unmasked
    # Cases: worked by caseworkers and supervisors, read by data officers; supervisors hand cases over.
    "cases.view": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER}),
    "cases.manage": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),
    "cases.assign": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    # Approving or rejecting a closure, and reopening a closed case: never by the proposer (checked in the service).
    "cases.close_decide": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    # The supervisor's desk; in-app notifications for everyone.
    "desk.view": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "notifications.view": ALL_ROLES,
    # Merging two records of one person (and undoing it) is a supervisor's decision.
    "clients.merge": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    # Referrals (rujukan): proposed by case staff, approved by a supervisor (never the proposer), answered by
    # the receiving side (the unit check is a guard in casework.referrals.services).
    "referrals.propose": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),
    "referrals.decide": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "referrals.answer": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),
    # Stored photos and documents (client photos, case attachments): whoever may read the client registry.
    "files.view": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER}),
    # Transfers to another agency: proposed by case staff, approved (sender) and accepted (receiver) by supervisors.
    "transfers.propose": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),
    "transfers.decide": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    # Official figures: read by staff who report or watch them; quality entries and targets kept by data officers.
    "figures.view": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.DATA_OFFICER, Role.VIEWER}),
    "figures.manage": frozenset({Role.ADMIN, Role.DATA_OFFICER}),
    # Aftercare visits after termination: recorded by case staff, or by volunteers for clients living in their scope.
    "aftercare.visit": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.VOLUNTEER}),
    # Field findings are filed by volunteers (TKSK/PSM), who see only their own and never clients or cases;
    # complaints from the public are entered by the staff who take calls, walk-ins, messages and letters.
    "findings.submit": frozenset({Role.VOLUNTEER}),
    "complaints.enter": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER}),
    # The triage queue of findings and complaints and its decisions: a supervisor's units' queue, an admin's all.
    "findings.triage": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    # Figures of findings and complaints (PSKS contribution, complaint response, response times): read-only.
    "findings.figures": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.DATA_OFFICER, Role.VIEWER}),
    "dashboards.view": STAFF,  # the dashboard of one's role (casework.dashboards); volunteers have none
    # Disaster response: events and figures read by staff; events and sites kept by supervisors; households,
    # people (personal data) and assistance recorded by case staff.
    "disasters.view": STAFF,
    "disasters.manage": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    "disasters.register": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),
    "disasters.assist": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER}),
    "imports.run": frozenset({Role.ADMIN, Role.DATA_OFFICER}),  # bring records in from CSV/XLSX files
    "exports.agency": frozenset({Role.ADMIN}),  # the full agency export (every record, in a zip)
    "audit.view": frozenset({Role.ADMIN}),  # searching the audit trail
    "records.sensitive": frozenset(),  # sensitive clients beyond their cases' staff: named roles only (none by default)
    # Consent, retention settings, and everything held on one person (a data-subject request).
    "privacy.manage": frozenset({Role.ADMIN}),
    "privacy.subject_export": frozenset({Role.ADMIN, Role.SUPERVISOR}),
    # The offline field app (casework.field) and its sync feed (casework.sync): field staff and volunteers.
    "field.use": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.VOLUNTEER}),
    "sync.caseload": frozenset({Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.VOLUNTEER}),
}


def can(user, permission):
    """True when ``user`` holds ``permission``. Unknown permissions are a programming error."""
    roles = PERMISSIONS[permission]
    return bool(user and user.is_authenticated and user.role in roles)


def require(permission):
    """Decorates a view: signed-in users holding ``permission`` only."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        wrapper.permission = permission
        return wrapper

    return decorator


def public(view):
    """Marks a view anyone may open without signing in (login page, language switch)."""
    view.permission = None
    return view
