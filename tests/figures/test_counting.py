"""THE figures test: a small agency built by hand, every standard indicator counted and checked by hand.

Period: the third quarter of 2026. Cumulative indicators count 1 January to
30 September; the complaint response rate counts July to September alone.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import CaseStay, IntakeChannel, ServiceDelivery
from casework.extensions import db
from casework.figures.achievement import Period, achievement, indicator_by_code
from casework.figures.drilldown import counted
from casework.figures.models import SpmQualityEntry
from casework.figures.population import PopulationCount
from casework.figures.spm import band, spm_index
from casework.figures.targets import Target
from casework.findings.models import Report, ReportKind, ReportStatus
from casework.org.models import UnitKind
from casework.reference.models import Category, Service, SpmServiceType
from casework.referrals.models import Referral, ReferralStatus
from casework.tracing.models import Reunification
from casework.transfers.models import ReturnPlan, ReturnStatus
from tests.figures.builders import Builder, at

Q3 = Period(2026, quarter=3)
BULK = 861
VILLAGE_D1 = "32.75.01.1001"
VILLAGE_D2 = "32.75.02.1001"


def _target(agency, code, value, unit=None):
    indicator = indicator_by_code(agency, code)
    db.session.add(
        Target(agency_id=agency.id, year=2026, indicator_id=indicator.id, unit_id=unit and unit.id, target=value)
    )


@pytest.fixture
def small_agency(make):
    """The agency of the hand calculation (see each block's comment for what counts)."""
    division = make.unit(code="SEKR", name="Sekretariat")
    agency = division.agency
    user = make.user(role=Role.SUPERVISOR, unit=division)
    other = make.user(role=Role.CASEWORKER, unit=division)
    b1 = make.unit(agency=agency, code="B1", name="Cabang Satu", kind=UnitKind.BRANCH_OFFICE)
    b2 = make.unit(agency=agency, code="B2", name="Cabang Dua", kind=UnitKind.BRANCH_OFFICE)
    d1 = make.unit(
        agency=agency, code="D1", name="Kecamatan Satu", kind=UnitKind.DISTRICT_UNIT, parent=b1, region_code="32.75.01"
    )
    d2 = make.unit(agency=agency, code="D2", name="Kecamatan Dua", kind=UnitKind.DISTRICT_UNIT, region_code="32.75.02")
    p1 = make.unit(agency=agency, code="P1", name="Panti Satu", kind=UnitKind.PANTI, capacity=50)
    p2 = make.unit(agency=agency, code="P2", name="Panti Dua", kind=UnitKind.PANTI, capacity=50)
    build = Builder(agency, user, division)
    s = SimpleNamespace(agency=agency, b1=b1, b2=b2, d1=d1, d2=d2, p1=p1, p2=p2, division=division)
    kab = {
        spm.ordinal: spm.id
        for spm in db.session.scalars(sa.select(SpmServiceType).where(SpmServiceType.level == "city"))
    }

    # Outreach: 861 in D1 (below B1, district 32.75.01); in B2 G (twice: once), H (30 Sept, counted);
    # not counted: I (1 Oct), J (walk-in). K (outreach, the Sekretariat) counts outside the branches.
    build.bulk_outreach(BULK, d1, VILLAGE_D1)
    g = build.client("G")
    build.case(g, b2, IntakeChannel.OUTREACH, date(2026, 7, 1))
    build.case(g, b2, IntakeChannel.OUTREACH, date(2026, 8, 1))
    build.case(None, b2, IntakeChannel.JOINT_RAID, date(2026, 9, 30))
    build.case(None, b2, IntakeChannel.OUTREACH, date(2026, 10, 1))
    j_case = build.case(None, b2, IntakeChannel.WALK_IN, date(2026, 5, 1), intake_region_code=VILLAGE_D2)
    build.case(None, division, IntakeChannel.OUTREACH, date(2026, 3, 1))
    _target(agency, "OUTREACH-REACHED", 800, b1)
    _target(agency, "OUTREACH-REACHED", 10, b2)

    # SPM kab-2 (children): A assessed in March, met in April; B assessed in May, met 15 Oct (after Q3);
    # C twice (met in February, then a new case in August not met): once, met; D assessed in December 2025;
    # E is kab-3; F assessed in November. Q3: needed A, B, C; met A, C.
    spm2, spm3 = kab[2], kab[3]
    a, b, c = build.client("A"), build.client("B"), build.client("C")
    build.case(a, spm_service_type_id=spm2, assessed_on=date(2026, 3, 10), needs_met_on=date(2026, 4, 1))
    b_case = build.case(b, spm_service_type_id=spm2, assessed_on=date(2026, 5, 5), needs_met_on=date(2026, 10, 15))
    build.case(c, spm_service_type_id=spm2, assessed_on=date(2026, 2, 1), needs_met_on=date(2026, 2, 20))
    build.case(c, spm_service_type_id=spm2, intake=date(2026, 7, 20), assessed_on=date(2026, 8, 1))
    build.case(
        None,
        spm_service_type_id=spm2,
        intake=date(2025, 12, 1),
        assessed_on=date(2025, 12, 20),
        needs_met_on=date(2026, 1, 10),
    )
    build.case(None, spm_service_type_id=spm3, assessed_on=date(2026, 4, 1), needs_met_on=date(2026, 4, 2))
    build.case(None, spm_service_type_id=spm2, intake=date(2026, 10, 20), assessed_on=date(2026, 11, 1))
    # Quality of kab-2, entered per quarter: up to Q3, 8+9+10 of 10+10+10.
    for quarter, met in ((1, 8), (2, 9), (3, 10), (4, 5)):
        db.session.add(
            SpmQualityEntry(
                agency_id=agency.id,
                year=2026,
                quarter=quarter,
                spm_service_type_id=spm2,
                met=met,
                total=10,
                entered_by_id=user.id,
            )
        )

    # Panti: L in P1 (Jan), then P2 from 1 Feb (open): counted once, in P2; M in P1 until 2 Jan 2026: P1;
    # not counted: N (P1 from 1 Oct), O (P2 in 2025 only).
    stays = (
        ((date(2026, 1, 5), date(2026, 2, 1), p1), (date(2026, 2, 1), None, p2)),
        ((date(2025, 12, 1), date(2026, 1, 2), p1),),
        ((date(2026, 10, 1), None, p1),),
        ((date(2025, 1, 1), date(2025, 12, 31), p2),),
    )
    for client_stays in stays:
        case = build.case(None, intake=date(2024, 12, 1))
        for admitted, discharged, panti in client_stays:
            db.session.add(CaseStay(case_id=case.id, unit_id=panti.id, admitted_on=admitted, discharged_on=discharged))
    _target(agency, "PANTI-RESIDENTS", 2, p1)
    _target(agency, "PANTI-RESIDENTS", 4, p2)

    # Return home: J's return arrived in June (counted); another case's return still planned.
    common = {
        "from_place": "Rumah singgah",
        "to_region_code": VILLAGE_D2,
        "travel_date": date(2026, 6, 1),
        "travel_mode": "bus",
        "escort_name": "Petugas",
        "handover": "family",
        "family_name": "Keluarga",
        "planned_by_id": user.id,
    }
    db.session.add(
        ReturnPlan(
            case_id=j_case.id,
            status=ReturnStatus.ARRIVED,
            departed_on=date(2026, 6, 1),
            arrived_on=date(2026, 6, 2),
            received_by="Ibu",
            **common,
        )
    )
    db.session.add(ReturnPlan(case_id=b_case.id, status=ReturnStatus.PLANNED, **common))
    _target(agency, "RETURN-HOME", 4, b2)

    # Referrals: R1 approved 1 Mar; R2 completed (approved 1 Apr, done 1 May); R5 approved 30 Sept 17:30 UTC,
    # which is 1 Oct in Jakarta (not Q3); R3 proposed, R4 rejected: never counted.
    def referral(n, status, **fields):
        db.session.add(
            Referral(
                agency_id=agency.id,
                case_id=b_case.id,
                number=f"RJ-T-{n}",
                destination_kind="unit",
                to_unit_id=b2.id,
                reason="Alasan",
                consent_given=True,
                status=status,
                proposed_by_id=other.id,
                **fields,
            )
        )

    decided = {"decided_by_id": user.id}
    referral(1, ReferralStatus.APPROVED, decided_at=at(2026, 3, 1), **decided)
    referral(
        2,
        ReferralStatus.COMPLETED,
        decided_at=at(2026, 4, 1),
        answered_by_id=user.id,
        answered_at=at(2026, 4, 2),
        completed_by_id=user.id,
        completed_at=at(2026, 5, 1),
        result="Selesai",
        **decided,
    )
    referral(3, ReferralStatus.PROPOSED)
    referral(4, ReferralStatus.REJECTED, decided_at=at(2026, 3, 2), decision_note="Tidak", **decided)
    referral(5, ReferralStatus.APPROVED, decided_at=datetime(2026, 9, 30, 17, 30, tzinfo=UTC), **decided)
    _target(agency, "REFERRAL-APPROVED", 4)
    _target(agency, "REFERRAL-COMPLETED", 3)

    # Reunification: B, 15 July.
    db.session.add(
        Reunification(
            case_id=b_case.id,
            member_name="Ibu B",
            kinship="mother",
            address="Jalan",
            region_code=VILLAGE_D1,
            reunified_on=date(2026, 7, 15),
            home_safe=True,
            safety_note="Aman",
            recorded_by_id=user.id,
        )
    )
    _target(agency, "REUNIFICATION", 2)

    # Documents: three deliveries of the documents service in the window (two on one case: each counts);
    # not counted: one in November, and another service.
    documents = db.session.scalar(sa.select(Service.id).where(Service.slug == "fasilitasi-dokumen-kependudukan"))
    clothing = db.session.scalar(sa.select(Service.id).where(Service.slug == "sandang"))
    for service_id, day in (
        (documents, date(2026, 2, 1)),
        (documents, date(2026, 3, 1)),
        (documents, date(2026, 9, 30)),
        (documents, date(2026, 11, 1)),
        (clothing, date(2026, 3, 1)),
    ):
        db.session.add(
            ServiceDelivery(
                case_id=b_case.id, service_id=service_id, delivered_on=day, unit_label="dokumen", recorded_by_id=user.id
            )
        )
    _target(agency, "DOCUMENTS", 5)

    # Complaints received in Q3, Jakarta time: 30 Jun 20:00 UTC (1 Jul in Jakarta; open), 2 Jul (decided 5 Jul),
    # 10 Aug (open), 20 Sep (decided 2 Oct: after the quarter). Not counted: 30 Jun 16:59 UTC (23:59 in
    # Jakarta), a field finding.
    def report(n, kind, received_at, decided_at=None):
        status = ReportStatus.CLOSED if decided_at else ReportStatus.RECEIVED
        db.session.add(
            Report(
                agency_id=agency.id,
                kind=kind,
                number=f"ADU-T-{n}",
                reported_by_id=user.id,
                source="call_centre" if kind == ReportKind.COMPLAINT else None,
                description="Laporan",
                region_code=VILLAGE_D1,
                observed_on=received_at.date(),
                unit_id=division.id,
                status=status,
                received_at=received_at,
                decided_at=decided_at,
                decided_by_id=user.id if decided_at else None,
                close_reason="other" if decided_at else None,
            )
        )

    report(1, ReportKind.COMPLAINT, at(2026, 7, 2), at(2026, 7, 5))
    report(2, ReportKind.COMPLAINT, at(2026, 8, 10))
    report(3, ReportKind.COMPLAINT, at(2026, 9, 20), at(2026, 10, 2))
    report(4, ReportKind.COMPLAINT, datetime(2026, 6, 30, 20, tzinfo=UTC))
    report(5, ReportKind.COMPLAINT, datetime(2026, 6, 30, 16, 59, tzinfo=UTC), at(2026, 7, 1))
    report(6, ReportKind.FINDING, at(2026, 8, 1))
    db.session.flush()
    return s


def numbers(report):
    """Each row as (label, realisation, denominator, percent as text)."""
    return [(row.label, row.realisation, row.denominator, row.percent and str(row.percent)) for row in report.rows]


def total(report):
    return report.total.realisation, report.total.denominator, report.total.percent and str(report.total.percent)


def _drill_length(agency, report, key):
    return len(db.session.execute(counted(agency, report.indicator, report.period, key)).all())


def test_outreach_per_branch_office_rounds_half_up_and_totals_the_sums(small_agency):
    s = small_agency
    report = achievement(s.agency, indicator_by_code(s.agency, "OUTREACH-REACHED"), Q3)
    # 861 ÷ 800 = 107.625 % → 107.63 (half-up); G once and H in B2; K outside the branches (no target).
    assert numbers(report) == [
        ("Cabang Dua", 2, 10, "20.00"),
        ("Cabang Satu", 861, 800, "107.63"),
        ("Di luar unit pelapor", 1, None, None),
    ]
    # The total is 864 ÷ 810, not the mean of 20.00 and 107.63 (63.82).
    assert total(report) == (864, 810, "106.67")
    for row in (*report.rows, report.total):
        assert _drill_length(s.agency, report, row.key) == row.realisation
    three = achievement(s.agency, report.indicator, Q3, places=3)
    assert str(three.rows[1].percent) == "107.625"
    # A year's report counts I (1 October) too.
    assert achievement(s.agency, report.indicator, Period(2026)).rows[0].realisation == 3


def test_spm_recipients_and_quality(small_agency):
    s = small_agency
    recipients = achievement(s.agency, indicator_by_code(s.agency, "KAB-2-PENERIMA"), Q3)
    assert numbers(recipients) == [(s.agency.name, 2, 3, "66.67")]
    assert total(recipients) == (2, 3, "66.67")
    assert _drill_length(s.agency, recipients, "total") == 2
    needed = counted(s.agency, recipients.indicator, Q3, "total", "denominator")
    assert sorted(row.client_name for row in db.session.execute(needed)) == ["A", "B", "C"]
    year = achievement(s.agency, recipients.indicator, Period(2026))
    assert total(year) == (3, 4, "75.00")
    # By month: September is year-to-date as well.
    assert total(achievement(s.agency, recipients.indicator, Period(2026, month=9))) == (2, 3, "66.67")
    assert total(achievement(s.agency, indicator_by_code(s.agency, "KAB-3-PENERIMA"), Q3)) == (1, 1, "100.00")
    quality = achievement(s.agency, indicator_by_code(s.agency, "KAB-2-MUTU"), Q3)
    assert total(quality) == (27, 30, "90.00")


def test_panti_returns_referrals_reunifications_documents(small_agency):
    s = small_agency

    def figures(code):
        report = achievement(s.agency, indicator_by_code(s.agency, code), Q3)
        for row in (*report.rows, report.total):
            assert _drill_length(s.agency, report, row.key) == row.realisation
        return numbers(report), total(report)

    assert figures("PANTI-RESIDENTS") == (
        [("Panti Dua", 1, 4, "25.00"), ("Panti Satu", 1, 2, "50.00")],
        (2, 6, "33.33"),
    )
    assert figures("RETURN-HOME") == (
        [("Cabang Dua", 1, 4, "25.00"), ("Cabang Satu", 0, None, None)],
        (1, 4, "25.00"),
    )
    assert figures("REFERRAL-APPROVED") == ([(s.agency.name, 2, 4, "50.00")], (2, 4, "50.00"))
    assert figures("REFERRAL-COMPLETED") == ([(s.agency.name, 1, 3, "33.33")], (1, 3, "33.33"))
    assert figures("REUNIFICATION") == ([(s.agency.name, 1, 2, "50.00")], (1, 2, "50.00"))
    assert figures("DOCUMENTS") == ([(s.agency.name, 3, 5, "60.00")], (3, 5, "60.00"))


def test_complaint_response_counts_the_quarter_in_local_time(small_agency):
    s = small_agency
    report = achievement(s.agency, indicator_by_code(s.agency, "COMPLAINT-RESPONSE"), Q3)
    # Received in Q3 (Jakarta): 1 Jul 03:00 (undecided), 2 Jul (decided), 10 Aug, 20 Sep (decided in October).
    assert total(report) == (1, 4, "25.00")
    assert _drill_length(s.agency, report, "total") == 1


def test_ppks_handled_by_district_over_the_registered_population(small_agency):
    s = small_agency
    categories = dict(db.session.execute(sa.select(Category.slug, Category.id)).all())
    # Persons: 900 in a village of D1, 50 in D2, 150 in a district without a unit; households never count.
    for region, slug, count, unit in (
        (VILLAGE_D1, "anak-telantar", 900, "person"),
        ("32.75.02", "gelandangan", 50, "person"),
        ("32.75.03", "anak-telantar", 150, "person"),
        (VILLAGE_D1, "fakir-miskin", 400, "household"),
    ):
        db.session.add(
            PopulationCount(
                agency_id=s.agency.id,
                year=2026,
                region_code=region,
                category_id=categories[slug],
                count=count,
                counting_unit=unit,
            )
        )
    db.session.flush()
    report = achievement(s.agency, indicator_by_code(s.agency, "PPKS-HANDLED"), Q3)
    # D1: the 861 (intake in 32.75.01); D2: J. Outside: every other client with a case open in Jan–Sep:
    # G, H, K (outreach), A, B, C, D, E (SPM; D's case from 2025 is still open), L, M, N, O (stays) = 12.
    assert numbers(report) == [
        ("Kecamatan Dua", 1, 50, "2.00"),
        ("Kecamatan Satu", 861, 900, "95.67"),
        ("Di luar unit pelapor", 12, None, None),
    ]
    # The total is over the agency's whole registered population (1,100 persons).
    assert total(report) == (874, 1100, "79.45")
    for row in (*report.rows, report.total):
        assert _drill_length(s.agency, report, row.key) == row.realisation


def test_spm_index_per_type_and_overall_with_bands(small_agency):
    s = small_agency
    rows, overall = spm_index(s.agency, Q3)
    by_ordinal = {row.spm_type.ordinal: row for row in rows}
    # kab-2: 80 % × 2/3 + 20 % × 27/30 = 71.333… → 71.33, below 80.
    kab2 = by_ordinal[2]
    assert (kab2.recipients.percent, kab2.quality.percent) == (Decimal("66.67"), Decimal("90.00"))
    assert (kab2.index, kab2.band) == (Decimal("71.33"), "not_achieved")
    # kab-3 has recipients (1/1) but no quality entry: no index.
    assert (by_ordinal[3].index, by_ordinal[3].band) == (None, None)
    # Overall: recipients 3/4, quality 27/30 → 80 % × 0.75 + 20 % × 0.9 = 78.00.
    assert (overall.recipients.realisation, overall.recipients.denominator) == (3, 4)
    assert (overall.index, overall.band) == (Decimal("78.00"), "not_achieved")
    s.agency.spm_weight_recipients, s.agency.spm_weight_quality = 70, 30
    db.session.flush()
    rows, _overall = spm_index(s.agency, Q3, places=3)
    # 70 % × 2/3 + 30 % × 0.9 = 73.6666… → 73.667.
    assert rows[1].index == Decimal("73.667")


def test_spm_bands():
    assert [band(Decimal(value)) for value in ("100.00", "99.99", "80.00", "79.99", "0")] == [
        "complete",
        "achieved",
        "achieved",
        "not_achieved",
        "not_achieved",
    ]
