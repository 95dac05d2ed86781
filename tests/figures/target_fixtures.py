"""Fixtures for the target and population tests: a Kota Bekasi agency with units, staff and indicators of its own.

The indicators are made here (codes starting "T-"), so the tests do not
depend on the standard set's codes.
"""

import pytest

from casework.auth.models import Role
from casework.extensions import db
from casework.figures.models import DenominatorKind, Indicator, IndicatorUnit, PeriodRule, ReportedBy
from casework.org.models import UnitKind

CITY = "32.75"


@pytest.fixture
def office(make):
    """The agency's secretariat; the agency is Kota Bekasi (32.75), code DINSOS-T."""
    agency = make.agency(code="DINSOS-T", region_code=CITY)
    return make.unit(agency=agency, code="SEKR", name="Sekretariat", kind=UnitKind.DIVISION)


@pytest.fixture
def agency(office):
    """The agency whose figures the tests keep."""
    return office.agency


@pytest.fixture
def units(make, agency):
    """Two branch offices, a panti and a partner, by code."""
    return {
        "CAB1": make.unit(agency=agency, code="CAB1", name="Cabang Satu", kind=UnitKind.BRANCH_OFFICE),
        "CAB2": make.unit(agency=agency, code="CAB2", name="Cabang Dua", kind=UnitKind.BRANCH_OFFICE),
        "PNT1": make.unit(agency=agency, code="PNT1", name="Panti Satu", kind=UnitKind.PANTI, capacity=100),
        "RSUD": make.unit(
            agency=agency, code="RSUD", name="RSUD Mitra", kind=UnitKind.PARTNER, partner_type="hospital"
        ),
    }


@pytest.fixture
def data_officer(make, office):
    """The agency's data officer, who keeps targets and population."""
    return make.user(role=Role.DATA_OFFICER, unit=office)


@pytest.fixture
def viewer(make, office):
    """A viewer: reads figures, changes nothing."""
    return make.user(role=Role.VIEWER, unit=office)


def _indicator(code, reported_by, denominator=DenominatorKind.TARGET, ordinal=0):
    indicator = Indicator(
        code=code,
        name=f"Indikator {code}",
        name_en=f"Indicator {code}",
        counting_unit=IndicatorUnit.PERSON,
        reported_by=reported_by,
        period_rule=PeriodRule.CUMULATIVE,
        denominator=denominator,
        measure="outreach_reached",
        ordinal=ordinal,
    )
    db.session.add(indicator)
    db.session.flush()
    return indicator


@pytest.fixture
def indicators(app):
    """Target indicators by branch office, by panti and agency-wide, and one measured against its own denominator."""
    return {
        "T-OUT": _indicator("T-OUT", ReportedBy.BRANCH_OFFICE, ordinal=901),
        "T-PANTI": _indicator("T-PANTI", ReportedBy.PANTI, ordinal=902),
        "T-REF": _indicator("T-REF", ReportedBy.AGENCY, ordinal=903),
        "T-RATE": _indicator("T-RATE", ReportedBy.AGENCY, DenominatorKind.MEASURE, ordinal=904),
    }


def csv_bytes(*lines):
    """A CSV file's bytes from its lines."""
    return ("\n".join(lines) + "\n").encode()
