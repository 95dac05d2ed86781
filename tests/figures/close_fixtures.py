"""Fixtures for the monthly close tests: an agency with August 2026 figures of every kind of fact."""

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures.models import SpmQualityEntry
from casework.findings.models import Report, ReportKind, ReportStatus
from casework.org.models import UnitKind
from casework.reference.models import SpmServiceType
from tests.figures.builders import Builder, at

# A village of Kota Bekasi (Bekasi Timur, Margahayu).
VILLAGE = "32.75.01.1001"


@pytest.fixture
def august(make):
    """Outreach (dates), complaints (timestamps) and an SPM quality entry (a quarter) up to August 2026.

    Outreach: Ani (10 Jul) and Budi (5 Aug) in the branch office. SPM children (KAB-2): Citra assessed
    3 Aug and met 20 Aug, Dedi assessed 10 Aug, not met. A complaint received 12 Aug, decided 14 Aug.
    Quality: Q3 children, 8 of 10 items.
    """
    division = make.unit(code="SEKR", name="Sekretariat")
    agency = division.agency
    branch = make.unit(agency=agency, code="B1", name="Cabang Satu", kind=UnitKind.BRANCH_OFFICE)
    officer = make.user(role=Role.DATA_OFFICER, unit=division)
    build = Builder(agency, officer, division)
    children = db.session.scalar(
        sa.select(SpmServiceType.id).where(SpmServiceType.level == "city", SpmServiceType.ordinal == 2)
    )
    build.case(build.client("Ani"), branch, IntakeChannel.OUTREACH, date(2026, 7, 10))
    build.case(build.client("Budi"), branch, IntakeChannel.OUTREACH, date(2026, 8, 5))
    build.case(
        build.client("Citra"),
        intake=date(2026, 8, 1),
        spm_service_type_id=children,
        assessed_on=date(2026, 8, 3),
        needs_met_on=date(2026, 8, 20),
    )
    dedi = build.case(
        build.client("Dedi"), intake=date(2026, 8, 1), spm_service_type_id=children, assessed_on=date(2026, 8, 10)
    )
    db.session.add(
        Report(
            agency_id=agency.id,
            kind=ReportKind.COMPLAINT,
            number="ADU-C-1",
            reported_by_id=officer.id,
            source="call_centre",
            description="Laporan",
            region_code=VILLAGE,
            observed_on=date(2026, 8, 12),
            unit_id=division.id,
            status=ReportStatus.CLOSED,
            received_at=at(2026, 8, 12),
            decided_at=at(2026, 8, 14),
            decided_by_id=officer.id,
            close_reason="other",
        )
    )
    db.session.add(
        SpmQualityEntry(
            agency_id=agency.id,
            year=2026,
            quarter=3,
            spm_service_type_id=children,
            met=8,
            total=10,
            entered_by_id=officer.id,
        )
    )
    db.session.flush()
    return SimpleNamespace(
        agency=agency, branch=branch, division=division, officer=officer, build=build, children=children, dedi=dedi
    )
