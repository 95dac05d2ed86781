"""Follow-up work recorded offline (issue 9): the aftercare visit due on a case in aftercare, and a lead
followed for a family tracing request, are filled in on the tablet without a connection and reach the
server when the connection returns."""

import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.aftercare.models import AftercareVisit
from casework.auth.models import User
from casework.cases.models import Case, Stage
from casework.extensions import db
from casework.tracing import services as tracing
from casework.tracing.models import TracingLead
from tests.browser.test_offline_field import open_field_app

pytestmark = pytest.mark.browser


def first_due_visit(demo_app, username):
    """The earliest visit not yet made on a case of ``username``: its id and the case number."""
    with demo_app.app_context():
        query = (
            sa.select(AftercareVisit.id, Case.number)
            .join(Case, AftercareVisit.case_id == Case.id)
            .join(User, Case.caseworker_id == User.id)
            .where(User.username == username, AftercareVisit.visited_on.is_(None))
            .order_by(AftercareVisit.due_on)
        )
        return db.session.execute(query).first()


def test_an_aftercare_visit_recorded_offline_reaches_the_server(page, sign_in, screenshot, demo_app, demo_users):
    visit_id, number = first_due_visit(demo_app, demo_users["caseworker"]["username"])
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    page.get_by_role("link", name=number).click()
    due = page.locator(f"[data-visit='{visit_id}']")

    page.context.set_offline(True)
    due.get_by_label("Tanggal kunjungan").fill("2026-12-03")
    due.get_by_label("Hasil").select_option(index=1)
    due.get_by_label("Catatan kunjungan").fill("Klien bekerja di bengkel, keluarga mendukung.")
    due.get_by_role("button", name="Catat kunjungan").click()
    expect(page.locator(f"[data-visit='{visit_id}']")).to_contain_text("Belum terkirim")
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")
    screenshot("offline-aftercare-visit")

    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)
    with demo_app.app_context():
        visit = db.session.get(AftercareVisit, visit_id)
        assert visit.visited_on.isoformat() == "2026-12-03"
        assert visit.notes == "Klien bekerja di bengkel, keluarga mendukung."


def open_tracing_request(demo_app, username):
    """A tracing request opened at the office on an open case of ``username``: its uuid and the case number."""
    with demo_app.app_context():
        actor = db.session.scalars(sa.select(User).where(User.username == username)).one()
        case = db.session.scalars(
            sa.select(Case).where(Case.caseworker_id == actor.id, Case.stage == Stage.INTERVENTION).order_by(Case.id)
        ).first()
        data = {
            "sought_name": "Sumarni",
            "kinship": "mother",
            "last_known_place": "Pasar Kranji",
            "opened_on": case.intake_date.isoformat(),
        }
        request, _created = tracing.open_request(case, actor, data, uuid=str(uuid.uuid4()))
        db.session.commit()
        return request.uuid, case.number


def test_a_tracing_lead_recorded_offline_reaches_the_server(page, sign_in, demo_app, demo_users):
    request_uuid, number = open_tracing_request(demo_app, demo_users["caseworker"]["username"])
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    page.get_by_role("link", name=number).click()
    sought = page.locator(f"[data-tracing='{request_uuid}']")
    expect(sought).to_contain_text("Sumarni")

    page.context.set_offline(True)
    sought.get_by_label("Cara").select_option(index=1)
    sought.get_by_label("Hasil").fill("Tetangga lama: ibu pindah ke Cikarang tahun lalu.")
    sought.get_by_role("button", name="Catat jejak").click()
    expect(sought).to_contain_text("Belum terkirim")

    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)
    expect(sought).not_to_contain_text("Belum terkirim")
    with demo_app.app_context():
        results = db.session.scalars(
            sa.select(TracingLead.result).where(TracingLead.result.like("Tetangga lama%"))
        ).all()
        assert results == ["Tetangga lama: ibu pindah ke Cikarang tahun lalu."]


def case_at_intake(demo_app, username):
    """The number of an open case of ``username`` still at intake (the demo has some in every stage)."""
    with demo_app.app_context():
        query = (
            sa.select(Case.number)
            .join(User, Case.caseworker_id == User.id)
            .where(User.username == username, Case.stage == Stage.INTAKE)
            .order_by(Case.id)
        )
        return db.session.scalars(query).first()


def test_an_assessment_recorded_offline_moves_the_case_to_planning(page, sign_in, screenshot, demo_app, demo_users):
    number = case_at_intake(demo_app, demo_users["caseworker"]["username"])
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    page.get_by_role("link", name=number).click()

    page.context.set_offline(True)
    form = page.locator("form[data-form=assessment]")
    form.get_by_label("Tanggal asesmen").fill("2026-12-03")
    form.get_by_label("Kondisi klien").fill("Lemah, belum makan dua hari, tidak punya identitas.")
    form.get_by_label("Layanan yang dibutuhkan").select_option(index=[0, 1])
    form.get_by_role("button", name="Simpan asesmen").click()
    # Two steps wait: into assessment, then the assessment itself (each takes the version the one before left).
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "2")
    expect(page.locator("form[data-form=assessment]")).to_have_count(0)
    screenshot("offline-assessment")

    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)
    with demo_app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        assert case.stage == Stage.PLANNING and case.assessed_on.isoformat() == "2026-12-03"
        assert case.condition == "Lemah, belum makan dua hari, tidak punya identitas."
        assert len(case.needs) == 2
