"""Indicators as data: the standard set, which an agency reports, SPM quality entries, the SPM index settings."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures.achievement import agency_indicators
from casework.figures.models import DenominatorKind, Indicator, PeriodRule, ReportedBy, SpmQualityEntry
from casework.figures.standard import load_standard_indicators
from casework.reference.loader import load_reference
from casework.reference.models import ReferenceDataset, SpmServiceType
from tests.admin.helpers import audit_rows
from tests.figures.builders import Builder

OTHERS = (
    "OUTREACH-REACHED",
    "RETURN-HOME",
    "PANTI-RESIDENTS",
    "REFERRAL-APPROVED",
    "REFERRAL-COMPLETED",
    "REUNIFICATION",
    "DOCUMENTS",
    "COMPLAINT-RESPONSE",
    "PPKS-HANDLED",
)


@pytest.fixture
def office(make):
    """A division of a city agency."""
    return make.unit(code="SEKR", name="Sekretariat")


@pytest.fixture
def officer(make, office):
    """The agency's data officer."""
    return make.user(role=Role.DATA_OFFICER, unit=office)


def _kab(ordinal):
    return db.session.scalar(
        sa.select(SpmServiceType).where(SpmServiceType.level == "city", SpmServiceType.ordinal == ordinal)
    )


def test_the_standard_indicators_are_loaded_once(app):
    codes = set(db.session.scalars(sa.select(Indicator.code)))
    spm = {f"{level}-{n}-{part}" for level in ("PROV", "KAB") for n in range(1, 6) for part in ("PENERIMA", "MUTU")}
    assert codes == spm | set(OTHERS)
    recipients = db.session.scalar(sa.select(Indicator).where(Indicator.code == "KAB-2-PENERIMA"))
    assert (recipients.measure, recipients.spm_service_type.code) == ("spm_recipients", "kab-2")
    assert (recipients.period_rule, recipients.denominator) == (PeriodRule.CUMULATIVE, DenominatorKind.MEASURE)
    handled = db.session.scalar(sa.select(Indicator).where(Indicator.code == "PPKS-HANDLED"))
    assert (handled.reported_by, handled.denominator) == (ReportedBy.DISTRICT, DenominatorKind.POPULATION)
    # Reloading the same version adds nothing and never brings back a row an administrator deleted.
    db.session.delete(handled)
    db.session.flush()
    assert load_reference()["indicators"] == 0
    assert db.session.scalar(sa.select(Indicator).where(Indicator.code == "PPKS-HANDLED")) is None
    # A new version adds what is missing, and nothing else.
    db.session.get(ReferenceDataset, "indicators").version = "old"
    assert load_standard_indicators() == 1


def test_an_agency_reports_its_own_levels_spm_indicators(make):
    city = make.agency()
    province = make.agency(level="province", region_code="32")
    city_codes = set(db.session.scalars(agency_indicators(city).with_only_columns(Indicator.code)))
    assert "KAB-1-PENERIMA" in city_codes and "PROV-1-PENERIMA" not in city_codes and "DOCUMENTS" in city_codes
    province_codes = set(db.session.scalars(agency_indicators(province).with_only_columns(Indicator.code)))
    assert "PROV-5-MUTU" in province_codes and "KAB-5-MUTU" not in province_codes


def _quality_form(entries=None, **values):
    """The quality page's fields for kab-1..kab-5: ``{ordinal: (met, total)}``, versions as the page shows them."""
    data = {}
    for ordinal in range(1, 6):
        spm_type = _kab(ordinal)
        met, total = (entries or {}).get(ordinal, ("", ""))
        entry = db.session.scalar(sa.select(SpmQualityEntry).where(SpmQualityEntry.spm_service_type_id == spm_type.id))
        data[f"met-{spm_type.id}"], data[f"total-{spm_type.id}"] = met, total
        data[f"version-{spm_type.id}"] = entry.version if entry else ""
    data.update(values)
    return data


def test_data_officer_enters_a_quarters_quality(client, login, officer, office, make):
    login(officer)
    url = "/figures/quality?year=2026&quarter=2"
    response = client.post(url, data=_quality_form({2: ("9", "10"), 3: ("4", "5")}))
    assert response.status_code == 302
    entries = db.session.scalars(sa.select(SpmQualityEntry).order_by(SpmQualityEntry.spm_service_type_id)).all()
    assert [(e.year, e.quarter, e.spm_service_type.code, e.met, e.total) for e in entries] == [
        (2026, 2, "kab-2", 9, 10),
        (2026, 2, "kab-3", 4, 5),
    ]
    assert 'value="9"' in client.get(url).get_data(as_text=True)
    # Each entry is audited with its numbers only.
    audits = audit_rows("figures.quality_set")
    assert [(row.actor_id, row.object_type, row.details) for row in audits] == [
        (officer.id, "spm_quality_entry", {"met": [None, 9], "total": [None, 10]}),
        (officer.id, "spm_quality_entry", {"met": [None, 4], "total": [None, 5]}),
    ]
    # Saving the page unchanged writes nothing.
    assert client.post(url, data=_quality_form({2: ("9", "10"), 3: ("4", "5")})).status_code == 302
    assert len(audit_rows("figures.quality_set")) == 2
    # More met than checked, or one of the pair missing: refused by field, nothing saved.
    kab4 = _kab(4)
    refused = client.post(url, data=_quality_form({2: ("10", "10"), 4: ("6", "5"), 5: ("1", "")}))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "tidak boleh melebihi" in page and f'id="met-{kab4.id}-err"' in page
    assert (
        db.session.scalar(sa.select(SpmQualityEntry.met).where(SpmQualityEntry.spm_service_type_id == _kab(2).id)) == 9
    )
    # A change from a stale copy is a 409.
    stale = _quality_form({2: ("10", "10")}, **{f"version-{_kab(2).id}": "7"})
    assert client.post(url, data=stale).status_code == 409
    client.post("/logout")
    viewer = make.user(role=Role.VIEWER, unit=office)
    login(viewer)
    assert client.get(url).status_code == 200
    assert client.post(url, data=_quality_form({2: ("1", "1")})).status_code == 403


def test_spm_index_page_and_api(client, login, officer, office):
    agency = office.agency
    build = Builder(agency, officer, office)
    kab2 = _kab(2)
    build.case(
        None,
        office,
        IntakeChannel.WALK_IN,
        date(2026, 1, 5),
        spm_service_type_id=kab2.id,
        assessed_on=date(2026, 1, 6),
        needs_met_on=date(2026, 1, 20),
    )
    db.session.add(
        SpmQualityEntry(
            agency_id=agency.id,
            year=2026,
            quarter=1,
            spm_service_type_id=kab2.id,
            met=3,
            total=4,
            entered_by_id=officer.id,
        )
    )
    db.session.flush()
    login(officer)
    # 80 % × 1/1 + 20 % × 3/4 = 95.00: achieved.
    page = client.get("/figures/spm?year=2026&quarter=1").get_data(as_text=True)
    assert "95,00" in page and "Tercapai" in page
    body = client.get("/api/v1/figures/spm-index?year=2026&quarter=1").get_json()
    assert body["weights"] == {"recipients": 80, "quality": 20}
    row = next(row for row in body["types"] if row["spm_service_type"] == "kab-2")
    assert (row["index"], row["band"], row["quality"]["percent"]) == ("95.00", "achieved", "75.00")
    assert body["overall"]["index"] == "95.00"


@pytest.mark.parametrize(("weights", "status"), [(("70", "30"), 302), (("70", "20"), 422), (("101", "-1"), 422)])
def test_agency_settings_set_the_spm_weights(client, login, make, office, weights, status):
    agency = office.agency
    login(make.user(role=Role.ADMIN, unit=office))
    data = {
        "name": agency.name,
        "level": agency.level.value,
        "region_code": agency.region_code,
        "spm_weight_recipients": weights[0],
        "spm_weight_quality": weights[1],
    }
    assert client.post("/admin/agency", data=data).status_code == status
    db.session.refresh(agency)
    expected = (70, 30) if status == 302 else (80, 20)
    assert (agency.spm_weight_recipients, agency.spm_weight_quality) == expected


def test_pages_default_to_this_year_and_quarter(client, login, officer):
    login(officer)
    today = date.today()
    index = client.get("/figures/").get_data(as_text=True)
    assert "KAB-1-PENERIMA" in index and "PROV-1-PENERIMA" not in index and "PPKS-HANDLED" in index
    assert f"indicator=OUTREACH-REACHED&amp;year={today.year}" in index
    quality = client.get("/figures/quality").get_data(as_text=True)
    assert f"triwulan {(today.month - 1) // 3 + 1} tahun {today.year}" in quality
    assert client.get("/figures/spm").status_code == 200
    assert client.get("/figures/spm?year=1999").status_code == 422
