"""The referrals import: history with its final status, every step the status implies, within the model's CHECKs."""

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from casework.auth.models import Role
from casework.cases.models import CaseEvent
from casework.core.localtime import local_zone
from casework.extensions import db
from casework.figures.counting import Window, referrals_approved, referrals_completed
from casework.imports.cells import Context
from casework.imports.referrals import REFERRALS
from casework.org.models import PartnerType, UnitKind
from casework.referrals.models import Referral, ReferralStatus
from tests.imports.fixtures.rows import check, errors_of, run, store_key

TODAY = date(2026, 11, 20)


@pytest.fixture
def ctx(agency, staff):
    return Context(agency, staff(Role.DATA_OFFICER), today=TODAY)


@pytest.fixture
def hospital(make, agency):
    return make.unit(
        agency=agency, code="RSUD", name="RSUD Kota", kind=UnitKind.PARTNER, partner_type=PartnerType.HOSPITAL
    )


def _completed(case, supervisor, **more):
    return {
        "case": case.number,
        "destination_kind": "partner",
        "to_unit": "rsud",
        "services": "perbekalan-kesehatan; rujukan",
        "reason": "Perlu pemeriksaan kesehatan.",
        "consent_given": "ya",
        "status": "completed",
        "proposed_on": "03/11/2026",
        "decided_on": "04/11/2026",
        "decided_by": supervisor.username,
        "answered_on": "05/11/2026",
        "completed_on": "09/11/2026",
        "result": "Sudah diperiksa, sehat.",
        **more,
    }


def test_a_completed_referral_keeps_each_step_on_its_local_day(ctx, new_case, caseworker, supervisor, hospital):
    case = new_case()
    rows = run(ctx, REFERRALS, _completed(case, supervisor))
    assert errors_of(rows) == {}
    referral = db.session.get(Referral, rows[0].target_id)
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.number == "RJ-2026-000001"
    assert referral.to_unit_id == hospital.id
    assert (referral.proposed_by_id, referral.decided_by_id) == (caseworker.id, supervisor.id)
    # The answer is the case's caseworker's to record, the completion too unless the row says otherwise.
    assert referral.answered_by_id == referral.completed_by_id == caseworker.id
    local_days = [
        stamp.astimezone(local_zone()).date()
        for stamp in (referral.proposed_at, referral.decided_at, referral.answered_at, referral.completed_at)
    ]
    assert [day.day for day in local_days] == [3, 4, 5, 9]
    assert sorted(service.slug for service in referral.services) == ["perbekalan-kesehatan", "rujukan"]
    events = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert events.count("referral_imported") == 1
    window = Window(ctx.agency.id, 2026, date(2026, 11, 1), date(2026, 11, 30))
    for measure in (referrals_approved, referrals_completed):
        counted = db.session.execute(sa.select(sa.func.count()).select_from(measure(window).subquery())).scalar()
        assert counted == 1
    november_8 = Window(ctx.agency.id, 2026, date(2026, 11, 1), date(2026, 11, 8))
    assert (
        db.session.execute(sa.select(sa.func.count()).select_from(referrals_completed(november_8).subquery())).scalar()
        == 0
    )


def test_a_rejected_referral_to_another_agency_keeps_its_number(ctx, new_case, supervisor):
    case = new_case()
    row = {
        "case": case.number,
        "number": "RJ-2024-000777",
        "destination_kind": "agency",
        "to_agency_name": "Dinas Sosial DKI Jakarta",
        "to_region": "31",
        "services": "rujukan",
        "reason": "Klien ber-KTP Jakarta.",
        "no_consent_reason": "child",
        "status": "rejected",
        "proposed_on": "03/11/2026",
        "decided_on": "03/11/2026",
        "decided_by": supervisor.username,
        "decision_note": "Tangani sendiri dulu.",
    }
    rows = run(ctx, REFERRALS, row)
    assert errors_of(rows) == {}
    referral = db.session.get(Referral, rows[0].target_id)
    assert (referral.number, referral.status, referral.to_region_code) == ("RJ-2024-000777", "rejected", "31")
    assert (referral.consent_given, referral.no_consent_reason) == (False, "child")
    assert referral.answered_at is None and referral.result is None
    # The number is the row's key: changed, the row is refused as a change; under another key, as a taken number.
    changed = check(ctx, REFERRALS, {**row, "reason": "Lain."})
    assert [column for column, _message in errors_of(changed)[2]] == [None]
    again = check(ctx, REFERRALS, {**row, "kode_sumber": "LAIN-1"})
    assert errors_of(again) == {2: [("number", "Nomor rujukan RJ-2024-000777 sudah dipakai.")]}


def test_the_steps_the_status_implies_are_checked(ctx, new_case, caseworker, supervisor, hospital):
    case = new_case()
    base = _completed(case, supervisor)
    rows = check(
        ctx,
        REFERRALS,
        {**base, "proposed_by": supervisor.username},
        {**base, "result": ""},
        {**base, "status": "rejected", "answered_on": "", "completed_on": "", "result": ""},
        {**base, "answered_on": "02/11/2026"},
        {**base, "status": "proposed", "answered_on": "", "completed_on": "", "result": ""},
        {**base, "destination_kind": "unit"},
        {**base, "consent_given": ""},
        {**base, "decided_by": ""},
        {**base, "services": "rujukan; tidak-ada"},
        {**base, "proposed_on": "01/10/2026"},
    )
    columns = {line: sorted({column for column, _message in errors}) for line, errors in errors_of(rows).items()}
    assert columns == {
        2: ["decided_by"],
        3: ["result"],
        4: ["decision_note"],
        5: ["answered_on"],
        6: ["decided_on"],
        7: ["to_unit"],
        8: ["consent_given"],
        9: ["decided_by"],
        10: ["services"],
        11: ["proposed_on"],
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0


def test_a_changed_row_of_an_imported_referral_is_refused(ctx, new_case, supervisor, hospital):
    case = new_case()
    row = _completed(case, supervisor, kode_sumber="R-1")
    run(ctx, REFERRALS, row)
    changed = check(ctx, REFERRALS, {**row, "result": "Dirawat inap."})
    assert [column for column, _message in errors_of(changed)[2]] == [None]


def test_a_case_named_by_the_cases_import_key(ctx, new_case, supervisor, hospital):
    case = new_case()
    store_key(ctx, "cases", "K-9", case.id)
    rows = run(ctx, REFERRALS, {**_completed(case, supervisor), "case": "K-9"})
    assert db.session.get(Referral, rows[0].target_id).case_id == case.id


def test_the_templates_list_the_codes_of_referrals_and_visits(client, login, staff):
    login(staff(Role.DATA_OFFICER))
    for name, wanted in (
        ("referrals", {"partner", "completed", "emergency", "no_capacity"}),
        ("aftercare", {"fallen_back"}),
    ):
        response = client.get(f"/imports/templates/{name}.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.data), read_only=True)
        codes = {row[0] for row in book["Kode"].iter_rows(values_only=True) if row}
        assert wanted <= codes, name
        header = next(book[name].iter_rows(values_only=True))
        assert header[:2] == ("Kode sumber", "Kasus *")
