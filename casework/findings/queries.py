"""Reading a reporter's own reports: a volunteer's findings and their status, a complaint just entered.

A volunteer reads only the findings they filed; anyone else's, or a UUID
that names nothing, is the same 404, so a volunteer cannot even learn that
another's report exists.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from casework.auth.models import ScopeKind
from casework.core.errors import NotFound
from casework.core.lookup import agency_record
from casework.extensions import db
from casework.findings.models import DECIDED, PENDING, REACHED_CASE, Report, ReportKind
from casework.reference.models import Region

VILLAGE_LEVEL = 4
# What a reporter's list and status page show of a report: its village's name, its case's number, its photos.
_STATUS_OPTIONS = (joinedload(Report.region), joinedload(Report.case), selectinload(Report.photos))


def own_findings_select(user):
    """A select of the findings ``user`` filed, newest first."""
    return (
        sa.select(Report)
        .where(Report.reported_by_id == user.id, Report.kind == ReportKind.FINDING)
        .options(*_STATUS_OPTIONS)
        .order_by(Report.received_at.desc(), Report.id.desc())
    )


def own_finding(user, value):
    """The finding with UUID ``value`` that ``user`` filed; anyone else's is as good as missing (404)."""
    report = agency_record(Report, user.agency_id, value, _("Laporan temuan tidak ditemukan."), options=_STATUS_OPTIONS)
    if report.reported_by_id != user.id or report.kind != ReportKind.FINDING:
        raise NotFound(_("Laporan temuan tidak ditemukan."))
    return report


def agency_complaint(agency_id, value):
    """The agency's complaint with UUID ``value`` (404 otherwise)."""
    report = agency_record(Report, agency_id, value, _("Pengaduan tidak ditemukan."), options=_STATUS_OPTIONS)
    if report.kind != ReportKind.COMPLAINT:
        raise NotFound(_("Pengaduan tidak ditemukan."))
    return report


def own_finding_counts(user):
    """How many findings ``user`` filed: {"total", "pending", "reached_case", "decided"}, in one grouped query."""
    rows = db.session.execute(
        sa.select(Report.status, sa.func.count())
        .where(Report.reported_by_id == user.id, Report.kind == ReportKind.FINDING)
        .group_by(Report.status)
    ).all()
    by_status = dict(rows)
    return {
        "total": sum(by_status.values()),
        "pending": sum(by_status.get(status, 0) for status in PENDING),
        "reached_case": sum(by_status.get(status, 0) for status in REACHED_CASE),
        "decided": sum(by_status.get(status, 0) for status in DECIDED),
    }


def scope_villages(user):
    """The active villages (code, name) of the user's district or village scope, by name; empty for agency scope."""
    codes = user.region_codes
    if user.scope_kind == ScopeKind.AGENCY or not codes:
        return []
    within = sa.or_(Region.code.in_(codes), *(Region.code.startswith(f"{code}.", autoescape=True) for code in codes))
    return db.session.execute(
        sa.select(Region.code, Region.name)
        .where(Region.level == VILLAGE_LEVEL, Region.retired.is_(False), within)
        .order_by(Region.name, Region.code)
    ).all()
