"""A city agency built by hand for the dashboards: cases in two districts and two units, SPM cases, quality entries.

Year 2025 (a past year, so every month is shown). What counts where:

| case | unit | channel | intake | village | ended | SPM |
|---|---|---|---|---|---|---|
| c1 | division | walk-in | 10 Jan | A | 5 Mar | |
| c2 | division | outreach | 20 Jan | B | | |
| c3 | division | joint raid | 1 Mar | A | 20 Mar | |
| c4 | division | walk-in | 15 Dec 2024 | A | 1 Feb | |
| c5 | division | walk-in | 5 May | none | | |
| x | division | walk-in | 1 Feb | A | | kab-2, assessed 10 Feb, met 1 Apr |
| y | division | walk-in | 1 Jun | B | | kab-2, assessed 5 Jun, not met |
| z | other unit | walk-in | 1 Jul | B | | kab-3, assessed 2 Jul, met 3 Jul |

Quality of kab-2 in the first quarter: 9 of 10 items.
"""

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures.models import SpmQualityEntry
from casework.reference.models import SpmServiceType
from tests.figures.builders import Builder

YEAR = 2025
VILLAGE_A, VILLAGE_B = "32.75.01.1001", "32.75.02.1001"
DISTRICT_A, DISTRICT_B = VILLAGE_A[:8], VILLAGE_B[:8]


@pytest.fixture
def city(make):
    """The agency of the table above, its units, and a user of each role in the division."""
    division = make.unit(code="REHSOS", name="Bidang Rehabilitasi Sosial")
    agency = division.agency
    other = make.unit(agency=agency, code="LAIN", name="Bidang Lain")
    users = {role: make.user(role=role, unit=division) for role in Role}
    build = Builder(agency, users[Role.DATA_OFFICER], division)
    kab = dict(
        db.session.execute(
            sa.select(SpmServiceType.ordinal, SpmServiceType.id).where(SpmServiceType.level == agency.level)
        ).all()
    )
    walk_in = IntakeChannel.WALK_IN
    plain = (
        (walk_in, date(2025, 1, 10), VILLAGE_A, date(2025, 3, 5)),
        (IntakeChannel.OUTREACH, date(2025, 1, 20), VILLAGE_B, None),
        (IntakeChannel.JOINT_RAID, date(2025, 3, 1), VILLAGE_A, date(2025, 3, 20)),
        (walk_in, date(2024, 12, 15), VILLAGE_A, date(2025, 2, 1)),
        (walk_in, date(2025, 5, 5), None, None),
    )
    for channel, intake, village, ended in plain:
        build.case(None, division, channel, intake, intake_region_code=village, terminated_on=ended)
    spm = {
        "x": (division, date(2025, 2, 1), VILLAGE_A, kab[2], date(2025, 2, 10), date(2025, 4, 1)),
        "y": (division, date(2025, 6, 1), VILLAGE_B, kab[2], date(2025, 6, 5), None),
        "z": (other, date(2025, 7, 1), VILLAGE_B, kab[3], date(2025, 7, 2), date(2025, 7, 3)),
    }
    cases = {
        name: build.case(
            None,
            unit,
            walk_in,
            intake,
            intake_region_code=village,
            spm_service_type_id=spm_type,
            assessed_on=assessed,
            needs_met_on=met,
        )
        for name, (unit, intake, village, spm_type, assessed, met) in spm.items()
    }
    db.session.add(
        SpmQualityEntry(
            agency_id=agency.id,
            year=YEAR,
            quarter=1,
            spm_service_type_id=kab[2],
            met=9,
            total=10,
            entered_by_id=users[Role.DATA_OFFICER].id,
        )
    )
    db.session.flush()
    return SimpleNamespace(agency=agency, division=division, other=other, users=users, build=build, cases=cases)
