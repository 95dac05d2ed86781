"""Monthly close from the pages, the API and the CLI; the achievement page of a closed month."""

from datetime import date

import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures.close_models import MonthClose
from tests.figures import close_fixtures

august = close_fixtures.august

REPORT = "/figures/achievement?indicator=OUTREACH-REACHED&year=2026&month=8"


def closes():
    """(month, revision) of every close, in order."""
    return db.session.execute(sa.select(MonthClose.month, MonthClose.revision).order_by(MonthClose.id)).all()


def test_data_officer_closes_and_recloses_from_the_months_page(client, login, august):
    login(august.officer)
    page = client.get("/figures/close/?year=2026").get_data(as_text=True)
    assert "Belum ditutup" in page and "Tutup bulan" in page
    response = client.post("/figures/close/2026/8", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "revisi 1" in text
    assert closes() == [(8, 1)]
    text = client.post("/figures/close/2026/8", follow_redirects=True).get_data(as_text=True)
    assert "tidak berubah sejak revisi 1" in text and closes() == [(8, 1)]
    # A month not over yet is refused with the reason, nothing stored.
    refused = client.post("/figures/close/2100/1")
    assert refused.status_code == 422 and "belum berakhir" in refused.get_data(as_text=True)

    august.build.case(august.build.client("Eka"), august.branch, IntakeChannel.OUTREACH, date(2026, 8, 30))
    db.session.commit()
    # The achievement page serves the closed revision (2 reached in the branch) until the month is closed again.
    page = client.get(REPORT).get_data(as_text=True)
    assert "sudah ditutup" in page and "revisi 1" in page and "catatan terlambat" not in page
    client.post("/figures/close/2026/8")
    assert closes() == [(8, 1), (8, 2)]
    page = client.get(REPORT).get_data(as_text=True)
    assert "revisi 2" in page and "1 catatan terlambat" in page
    diff = client.get("/figures/close/2026/8/2").get_data(as_text=True)
    assert "OUTREACH-REACHED" in diff and "dibandingkan dengan revisi 1" in diff and 'data-change="added"' in diff
    assert client.get("/figures/close/2026/8/3").status_code == 404


def test_viewer_sees_the_months_but_cannot_close(client, login, august, make):
    viewer = make.user(role=Role.VIEWER, unit=august.division)
    login(viewer)
    page = client.get("/figures/close/?year=2026")
    assert page.status_code == 200 and "Tutup bulan" not in page.get_data(as_text=True)
    assert client.post("/figures/close/2026/8").status_code == 403
    assert client.post("/api/v1/figures/closes", json={"month": "2026-08"}).status_code == 403
    assert closes() == []


def test_caseworker_sees_no_close(client, login, august, make):
    login(make.user(role=Role.CASEWORKER, unit=august.division))
    assert client.get("/figures/close/").status_code == 403
    assert client.get("/api/v1/figures/closes").status_code == 403


def test_api_closes_lists_and_diffs(client, login, august):
    login(august.officer)
    created = client.post("/api/v1/figures/closes", json={"month": "2026-08"})
    assert created.status_code == 201
    assert created.json["changed"] is True and created.json["close"]["revision"] == 1
    assert created.json["close"]["by_scheduler"] is False
    same = client.post("/api/v1/figures/closes", json={"month": "2026-08"})
    assert same.status_code == 200 and same.json["changed"] is False
    bad = client.post("/api/v1/figures/closes", json={"month": "2026-8"})
    assert bad.status_code == 422 and "month" in bad.json["error"]["fields"]

    august.build.case(august.build.client("Eka"), august.branch, IntakeChannel.OUTREACH, date(2026, 8, 30))
    db.session.commit()
    assert client.post("/api/v1/figures/closes", json={"month": "2026-08"}).status_code == 201
    months = client.get("/api/v1/figures/closes?year=2026").json["items"]
    assert months[7]["latest"]["revision"] == 2 and months[7]["late_items"] == 2 and months[6]["latest"] is None
    diff = client.get("/api/v1/figures/closes/2026/8/2").json
    assert diff["previous"]["revision"] == 1
    outreach = next(item for item in diff["indicators"] if item["indicator"] == "OUTREACH-REACHED")
    assert outreach["added"] == 1 and outreach["removed"] == 0
    line = next(line for line in outreach["lines"] if line["key"] == str(august.branch.id))
    assert (line["realisation_before"], line["realisation_after"]) == (2, 3)
    # The report and its drill-down from the API come from the close too.
    report = client.get("/api/v1/figures/achievement?indicator=OUTREACH-REACHED&year=2026&month=8").json
    assert report["total"]["realisation"] == 3
    assert report["closed"]["revision"] == 2 and report["closed"]["late_items"] == 1
    live = client.get("/api/v1/figures/achievement?indicator=OUTREACH-REACHED&year=2026&month=9").json
    assert live["closed"] is None
    counted = client.get(
        f"/api/v1/figures/achievement/counted?indicator=OUTREACH-REACHED&year=2026&month=8&row={august.branch.id}"
    ).json
    assert counted["total"] == 3


def test_cli_closes_a_month(app, august):
    db.session.commit()
    runner = app.test_cli_runner()
    args = ["casework", "close", "--month", "2026-08", "--agency", august.agency.code]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "2026-08: revision 1 closed" in result.output
    assert "revision 1 unchanged" in runner.invoke(args=args).output
    refused = runner.invoke(args=["casework", "close", "--month", "2026-13", "--agency", august.agency.code])
    assert refused.exit_code == 1 and "TTTT-BB" in refused.output
