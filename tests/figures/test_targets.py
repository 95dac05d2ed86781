"""Annual targets: the model's keys, setting one, the grid page, the CSV import (page, API, CLI) and the API."""

import io

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from casework.audit.models import AuditEvent
from casework.core.errors import Conflict, ValidationFailed
from casework.extensions import db
from casework.figures import csv_import, targets
from casework.figures.csv_import import PendingImport
from casework.figures.targets import Target, annual_targets, set_target
from tests.figures import target_fixtures as fixtures
from tests.figures.target_fixtures import csv_bytes

office, agency, units, indicators, data_officer, viewer = (
    fixtures.office,
    fixtures.agency,
    fixtures.units,
    fixtures.indicators,
    fixtures.data_officer,
    fixtures.viewer,
)

HEADER = "year,unit_code,indicator_code,target"


def stored(agency):
    """The agency's targets as {(year, unit code or None, indicator code): target}."""
    rows = db.session.scalars(sa.select(Target).where(Target.agency_id == agency.id))
    return {(t.year, t.unit.code if t.unit else None, t.indicator.code): t.target for t in rows}


# ---------------------------------------------------------------- model and queries


def test_annual_targets_map_units_and_the_agency_as_a_whole(agency, units, indicators):
    out = indicators["T-OUT"]
    set_target(agency, 2026, out, None, 800, None)
    set_target(agency, 2026, out, units["CAB1"], 500, None)
    set_target(agency, 2026, out, units["CAB2"], 300, None)
    set_target(agency, 2025, out, units["CAB1"], 9, None)
    assert annual_targets(agency.id, 2026, out.id) == {None: 800, units["CAB1"].id: 500, units["CAB2"].id: 300}
    assert annual_targets(agency.id, 2027, out.id) == {}


def test_the_database_holds_one_agency_wide_target_per_year_and_indicator(agency, indicators):
    for _ in range(2):
        db.session.add(Target(agency_id=agency.id, year=2026, indicator=indicators["T-REF"], unit=None, target=1))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_the_database_refuses_a_negative_target(agency, indicators):
    db.session.add(Target(agency_id=agency.id, year=2026, indicator=indicators["T-REF"], target=-1))
    with pytest.raises(IntegrityError):
        db.session.flush()


# ---------------------------------------------------------------- setting one target


def test_set_target_creates_updates_and_removes_at_the_version_read(agency, units, indicators, data_officer):
    out, cab1 = indicators["T-OUT"], units["CAB1"]
    target = set_target(agency, 2026, out, cab1, 500, None, data_officer)
    assert target.version == 1
    target = set_target(agency, 2026, out, cab1, 520, 1, data_officer)
    assert (target.target, target.version) == (520, 2)
    assert set_target(agency, 2026, out, cab1, 520, 2) is target
    assert target.version == 2
    assert set_target(agency, 2026, out, cab1, None, 2, data_officer) is None
    assert stored(agency) == {}
    actions = db.session.scalars(sa.select(AuditEvent.details).where(AuditEvent.action == "figures.target_set")).all()
    assert [details["target"] for details in actions] == [[None, 500], [500, 520], [520, None]]


def test_set_target_refuses_a_stale_version_and_a_target_added_meanwhile(agency, units, indicators):
    out, cab1 = indicators["T-OUT"], units["CAB1"]
    set_target(agency, 2026, out, cab1, 500, None)
    with pytest.raises(Conflict):
        set_target(agency, 2026, out, cab1, 600, None)
    set_target(agency, 2026, out, cab1, 510, 1)
    with pytest.raises(Conflict):
        set_target(agency, 2026, out, cab1, 600, 1)
    assert stored(agency) == {(2026, "CAB1", "T-OUT"): 510}


@pytest.mark.parametrize(
    ("indicator", "unit", "field"),
    [("T-OUT", "PNT1", "unit"), ("T-REF", "CAB1", "unit"), ("T-RATE", None, "indicator")],
)
def test_set_target_refuses_units_the_indicator_is_not_reported_by(agency, units, indicators, indicator, unit, field):
    with pytest.raises(ValidationFailed) as refused:
        set_target(agency, 2026, indicators[indicator], units.get(unit), 5, None)
    assert field in refused.value.fields


# ---------------------------------------------------------------- the grid page


def test_the_grid_shows_the_levels_indicators_and_units_with_inputs_for_the_data_officer(
    client, login, agency, units, indicators, data_officer
):
    set_target(agency, 2026, indicators["T-OUT"], units["CAB2"], 300, None)
    login(data_officer)
    page = client.get("/figures/targets?year=2026&level=branch_office").get_data(as_text=True)
    out = indicators["T-OUT"]
    assert "Cabang Satu" in page and "Cabang Dua" in page and "Panti Satu" not in page
    assert f'name="c-{out.id}-0"' in page and f'name="c-{out.id}-{units["CAB1"].id}"' in page
    assert f'name="c-{out.id}-{units["CAB2"].id}" type="number" min="0" step="1" inputmode="numeric"' in page
    assert 'value="300"' in page
    assert "T-PANTI" not in page and "T-REF" not in page


def test_the_agency_level_grid_leaves_out_indicators_without_targets(client, login, indicators, data_officer):
    login(data_officer)
    page = client.get("/figures/targets?year=2026&level=agency").get_data(as_text=True)
    assert "T-REF" in page and "T-RATE" not in page


def test_saving_the_grid_saves_only_the_cells_changed(client, login, agency, units, indicators, data_officer):
    out, cab1, cab2 = indicators["T-OUT"], units["CAB1"], units["CAB2"]
    set_target(agency, 2026, out, cab2, 300, None)
    set_target(agency, 2026, out, cab1, 100, None)
    login(data_officer)
    form = {
        f"c-{out.id}-0": "800",
        f"shown-c-{out.id}-0": "",
        f"version-c-{out.id}-0": "",
        f"c-{out.id}-{cab1.id}": "",
        f"shown-c-{out.id}-{cab1.id}": "100",
        f"version-c-{out.id}-{cab1.id}": "1",
        # Unchanged on the page, though someone else changed it meanwhile: left alone, no conflict.
        f"c-{out.id}-{cab2.id}": "250",
        f"shown-c-{out.id}-{cab2.id}": "250",
        f"version-c-{out.id}-{cab2.id}": "0",
    }
    response = client.post("/figures/targets?year=2026&level=branch_office", data=form)
    assert response.status_code == 302
    assert stored(agency) == {(2026, None, "T-OUT"): 800, (2026, "CAB2", "T-OUT"): 300}


def test_a_bad_cell_saves_nothing_and_keeps_what_was_typed(client, login, agency, units, indicators, data_officer):
    out, cab1 = indicators["T-OUT"], units["CAB1"]
    login(data_officer)
    form = {f"c-{out.id}-0": "800", f"shown-c-{out.id}-0": "", f"c-{out.id}-{cab1.id}": "-3"}
    response = client.post("/figures/targets?year=2026&level=branch_office", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert stored(agency) == {}
    assert 'value="-3"' in page and 'value="800"' in page and 'aria-invalid="true"' in page


def test_a_cell_changed_by_someone_else_is_a_conflict_showing_the_grid_as_it_is_now(
    client, login, agency, units, indicators, data_officer
):
    out, cab1 = indicators["T-OUT"], units["CAB1"]
    set_target(agency, 2026, out, cab1, 100, None)
    set_target(agency, 2026, out, cab1, 150, 1)
    db.session.commit()
    login(data_officer)
    form = {f"c-{out.id}-{cab1.id}": "120", f"shown-c-{out.id}-{cab1.id}": "100", f"version-c-{out.id}-{cab1.id}": "1"}
    response = client.post("/figures/targets?year=2026&level=branch_office", data=form)
    assert response.status_code == 409
    assert 'value="150"' in response.get_data(as_text=True)
    assert stored(agency) == {(2026, "CAB1", "T-OUT"): 150}


def test_viewers_read_the_grid_but_cannot_change_it(client, login, agency, units, indicators, viewer):
    set_target(agency, 2026, indicators["T-OUT"], units["CAB1"], 1234, None)
    login(viewer)
    page = client.get("/figures/targets?year=2026&level=branch_office").get_data(as_text=True)
    assert "1.234" in page and 'name="c-' not in page
    assert client.post("/figures/targets?year=2026", data={}).status_code == 403
    assert client.get("/figures/targets/import").status_code == 403


# ---------------------------------------------------------------- the import


def test_the_dry_run_writes_nothing_and_the_import_is_an_upsert(agency, units, indicators):
    content = csv_bytes(HEADER, "2026,CAB1,T-OUT,500", "2026,dinsos-t,T-REF,70", "2026,PNT1,t-panti,861")
    plan = csv_import.plan(targets.IMPORT, agency, content)
    assert plan.ok and plan.summary == {"create": 3, "update": 0, "unchanged": 0}
    assert stored(agency) == {}

    csv_import.apply(targets.IMPORT, agency, content)
    expected = {(2026, "CAB1", "T-OUT"): 500, (2026, None, "T-REF"): 70, (2026, "PNT1", "T-PANTI"): 861}
    assert stored(agency) == expected
    versions = dict(db.session.execute(sa.select(Target.id, Target.version)).all())

    again = csv_import.apply(targets.IMPORT, agency, content)
    assert again.summary == {"create": 0, "update": 0, "unchanged": 3}
    assert stored(agency) == expected
    assert dict(db.session.execute(sa.select(Target.id, Target.version)).all()) == versions

    changed = csv_import.apply(targets.IMPORT, agency, csv_bytes(HEADER, "2026,CAB1,T-OUT,520"))
    assert changed.summary == {"create": 0, "update": 1, "unchanged": 0}
    assert stored(agency)[2026, "CAB1", "T-OUT"] == 520
    audits = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "figures.targets_imported")).all()
    assert [(a.details["create"], a.details["update"], a.details["unchanged"]) for a in audits] == [
        (3, 0, 0),
        (0, 0, 3),
        (0, 1, 0),
    ]


def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_written(agency, units, indicators):
    content = csv_bytes(
        HEADER,
        "2026,CAB1,T-OUT,500",  # 2: fine
        "2026,CAB9,T-OUT,5",  # 3: unknown unit
        "2026,CAB1,T-NOPE,5",  # 4: unknown indicator
        "2026,CAB1,T-OUT,-5",  # 5: negative (and a duplicate key, reported once the rest is clean)
        "2026,CAB2,T-OUT,lima",  # 6: not a number
        "2026,PNT1,T-OUT,5",  # 7: a panti for a branch-office indicator
        "2026,RSUD,T-OUT,5",  # 8: a partner is no unit of the agency
        "2026,DINSOS-T,T-RATE,5",  # 9: measured against its own denominator
        "26,CAB2,T-OUT,5",  # 10: year
        ",,,",  # blank: skipped
        "2026,,T-REF,5",  # 12: no unit
    )
    plan = csv_import.plan(targets.IMPORT, agency, content)
    assert [(error.line, error.column) for error in plan.errors] == [
        (3, "unit_code"),
        (4, "indicator_code"),
        (5, "target"),
        (6, "target"),
        (7, "unit_code"),
        (8, "unit_code"),
        (9, "indicator_code"),
        (10, "year"),
        (12, "unit_code"),
    ]
    assert "CAB9" in plan.errors[0].message and "DINSOS-T" in plan.errors[0].message
    assert "negatif" in plan.errors[2].message
    with pytest.raises(ValidationFailed):
        csv_import.apply(targets.IMPORT, agency, content)
    assert stored(agency) == {}


def test_the_same_target_twice_in_one_file_is_an_error_on_the_later_line(agency, units, indicators):
    plan = csv_import.plan(targets.IMPORT, agency, csv_bytes(HEADER, "2026,CAB1,T-OUT,5", "2026,cab1,T-OUT,6"))
    assert [(error.line, error.column) for error in plan.errors] == [(3, None)]
    assert "baris 2" in plan.errors[0].message


def test_the_import_pages_show_the_dry_run_then_import_on_confirmation(
    client, login, agency, units, indicators, data_officer
):
    login(data_officer)
    content = csv_bytes(HEADER, "2026,CAB1,T-OUT,500", "2026,DINSOS-T,T-REF,70")
    response = client.post(
        "/figures/targets/import",
        data={"file": (io.BytesIO(content), "target.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 baru, 0 diubah, 0 tetap" in page and "Simpan 2 perubahan" in page
    assert stored(agency) == {}
    pending = db.session.scalar(sa.select(PendingImport.uuid))
    assert f"/figures/targets/import/{pending}" in page

    response = client.post(f"/figures/targets/import/{pending}")
    assert response.status_code == 302 and response.location.endswith("/figures/targets")
    assert stored(agency) == {(2026, "CAB1", "T-OUT"): 500, (2026, None, "T-REF"): 70}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingImport)) == 0
    # A second confirmation finds nothing to import.
    again = client.post(f"/figures/targets/import/{pending}")
    assert again.status_code == 302 and again.location.endswith("/figures/targets/import")


def test_an_upload_with_errors_lists_them_and_offers_no_confirmation(client, login, agency, indicators, data_officer):
    login(data_officer)
    content = csv_bytes(HEADER, "2026,CAB9,T-OUT,5")
    response = client.post(
        "/figures/targets/import", data={"file": (io.BytesIO(content), "t.csv")}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "CAB9" in page and "<code>unit_code</code>" in page and "/figures/targets/import/" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingImport)) == 0


def test_a_confirmation_checks_the_file_again(client, login, agency, units, indicators, data_officer):
    login(data_officer)
    content = csv_bytes(HEADER, "2026,CAB1,T-OUT,500")
    client.post(
        "/figures/targets/import", data={"file": (io.BytesIO(content), "t.csv")}, content_type="multipart/form-data"
    )
    pending = db.session.scalar(sa.select(PendingImport))
    units["CAB1"].active = False
    db.session.commit()
    response = client.post(f"/figures/targets/import/{pending.uuid}")
    assert response.status_code == 422 and "CAB1" in response.get_data(as_text=True)
    assert stored(agency) == {}


# ---------------------------------------------------------------- API and CLI


def test_the_api_sets_lists_and_refuses_stale_targets(client, login, agency, units, indicators, data_officer):
    login(data_officer)
    body = {"year": 2026, "indicator_code": "t-out", "unit_code": "CAB1", "target": 500, "version": None}
    response = client.put("/api/v1/figures/targets", json=body)
    assert response.status_code == 200, response.json
    assert response.json == {"year": 2026, "indicator_code": "T-OUT", "unit_code": "CAB1", "target": 500, "version": 1}
    stale = client.put("/api/v1/figures/targets", json={**body, "target": 9})
    assert stale.status_code == 409 and stale.json["error"]["current"]["target"] == 500
    listed = client.get("/api/v1/figures/targets?year=2026&indicator=T-OUT").json["items"]
    assert [(item["unit_code"], item["target"], item["version"]) for item in listed] == [("CAB1", 500, 1)]
    removed = client.put("/api/v1/figures/targets", json={**body, "target": None, "version": 1})
    assert removed.json["target"] is None and stored(agency) == {}
    unknown = client.put("/api/v1/figures/targets", json={**body, "unit_code": "CAB9"})
    assert unknown.status_code == 422 and "unit_code" in unknown.json["error"]["fields"]


def test_the_api_import_dry_runs_imports_and_reports_rows(client, login, agency, units, indicators, data_officer):
    login(data_officer)

    def post(content, dry_run):
        data = {"file": (io.BytesIO(content), "t.csv"), "dry_run": "true" if dry_run else "false"}
        return client.post("/api/v1/figures/targets/import", data=data, content_type="multipart/form-data")

    good = csv_bytes(HEADER, "2026,CAB1,T-OUT,500")
    assert post(good, True).json == {"dry_run": True, "created": 1, "updated": 0, "unchanged": 0}
    assert stored(agency) == {}
    assert post(good, False).json == {"dry_run": False, "created": 1, "updated": 0, "unchanged": 0}
    assert post(good, False).json["unchanged"] == 1
    bad = post(csv_bytes(HEADER, "2026,CAB1,T-OUT,x", "2026,CAB1"), False)
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"2.target", "3.indicator_code", "3.target"}


def test_the_api_refuses_viewers_changes(client, login, indicators, viewer):
    login(viewer)
    body = {"year": 2026, "indicator_code": "T-REF", "unit_code": None, "target": 5}
    assert client.put("/api/v1/figures/targets", json=body).status_code == 403
    assert client.get("/api/v1/figures/targets?year=2026").status_code == 200


def test_the_cli_imports_targets_with_a_dry_run_first(app, tmp_path, agency, units, indicators):
    path = tmp_path / "targets.csv"
    path.write_bytes(csv_bytes(HEADER, "2026,CAB1,T-OUT,500"))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["casework", "import", "targets", str(path), "--dry-run", "--agency", "DINSOS-T"])
    assert dry.exit_code == 0, dry.output
    assert "1 created, 0 updated, 0 unchanged" in dry.output and stored(agency) == {}
    done = runner.invoke(args=["casework", "import", "targets", str(path), "--agency", "DINSOS-T"])
    assert done.exit_code == 0 and stored(agency) == {(2026, "CAB1", "T-OUT"): 500}
    path.write_bytes(csv_bytes(HEADER, "2026,CAB9,T-OUT,500"))
    failed = runner.invoke(args=["casework", "import", "targets", str(path), "--agency", "DINSOS-T"])
    assert failed.exit_code == 1
    assert "line 2, unit_code: Kode unit CAB9 tidak dikenal" in failed.output
