"""Demo family tracing for the demo agency, made by the tracing operations on three of its oldest open cases.

One family still sought (a lead followed), one found and reunified forty days
ago (its first visit made, the 30-day visit overdue), one not found after two
leads. Each event is dated on its step's day. Idempotent: the first request's
UUID is fixed, and a second run finds it and changes nothing.
"""

import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from casework.cases.models import Case, CaseEvent, Stage
from casework.extensions import db
from casework.tracing import services
from casework.tracing.models import TracingRequest

_DEMO_TRACING = uuid.UUID("0d6f1e2a-7c3b-4e59-9a14-b2c8d0e6f4a1")
# The cases used must be this old, so every step lands after intake and before today.
MIN_AGE_DAYS = 60


def _uuid(story, step):
    """The fixed UUID of one demo record."""
    return uuid.uuid5(_DEMO_TRACING, f"{story}-{step}")


class _Dated:
    """Runs tracing operations at ``today``, then moves each one's event to the day it is dated."""

    def __init__(self, today):
        self.today = today

    def run(self, case, on, operation, *args, **kwargs):
        """Runs ``operation(*args)`` on ``case``; its timeline event is moved to ``on``."""
        result = operation(*args, today=self.today, **kwargs)
        last = db.session.scalar(
            sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()).limit(1)
        )
        last.at = datetime.combine(on, time(3), tzinfo=UTC)
        db.session.flush()
        return result


def _request(dated, case, story, on, sought_name, kinship, place):
    """Opens a tracing request dated ``on``."""
    data = {"sought_name": sought_name, "kinship": kinship, "last_known_place": place, "opened_on": on}
    tracing, _created = dated.run(
        case, on, services.open_request, case, case.caseworker, data, uuid=_uuid(story, "request")
    )
    return tracing


def _lead(dated, case, tracing, story, on, method, action, result):
    """Records a lead dated ``on``."""
    data = {"followed_on": on, "method": method, "action": action, "result": result}
    dated.run(case, on, services.add_lead, case, tracing, case.caseworker, data, uuid=_uuid(story, f"lead-{on}"))


def _close(dated, case, tracing, on, status, notes):
    """Ends a request dated ``on``."""
    data = {"status": status, "closed_on": on, "result_notes": notes}
    dated.run(case, on, services.close_request, case, tracing, case.caseworker, tracing.version, data)


def load_demo_tracing(agency, today=None):
    """Adds the demo tracing and reunification records unless they exist (or too few old open cases do)."""
    today = today or date.today()
    if db.session.scalar(sa.select(TracingRequest.id).where(TracingRequest.uuid == _uuid("sought", "request"))):
        return
    cases = db.session.scalars(
        sa.select(Case)
        .where(
            Case.agency_id == agency.id,
            Case.stage == Stage.INTERVENTION,
            Case.intake_date <= today - timedelta(days=MIN_AGE_DAYS),
        )
        .order_by(Case.intake_date, Case.id)
        .limit(3)
    ).all()
    if len(cases) < 3:
        return
    dated = _Dated(today)
    sought, found, lost = cases

    start = sought.intake_date + timedelta(days=2)
    tracing = _request(dated, sought, "sought", start, "Darsono", "father", "Pasar Kranggan, dekat terminal")
    _lead(
        dated,
        sought,
        tracing,
        "sought",
        start + timedelta(days=3),
        "social_media",
        "Grup Facebook warga Kranggan",
        "Seorang warga mengenali foto; menunggu kabar.",
    )

    start = found.intake_date + timedelta(days=1)
    tracing = _request(dated, found, "found", start, "Sumiati", "mother", "Desa Sukamaju, Kabupaten Garut")
    _lead(
        dated,
        found,
        tracing,
        "found",
        start + timedelta(days=2),
        "village_head_letter",
        "Surat ke kepala desa Sukamaju",
        "Kepala desa membenarkan ibu klien tinggal di RT 04.",
    )
    _close(dated, found, tracing, start + timedelta(days=4), "found", "Ibu klien ditemukan dan bersedia menerima.")
    home_day = max(start + timedelta(days=5), today - timedelta(days=40))
    data = {
        "member_name": "Sumiati",
        "kinship": "mother",
        "tracing_request": str(tracing.uuid),
        "address": "Kampung Sukamaju RT 04/RW 02",
        "region_code": "32.05",
        "reunified_on": home_day,
        "home_safe": True,
        "safety_note": "Rumah layak; ibu berjualan di pasar; tidak ada riwayat kekerasan dalam keluarga.",
    }
    reunion, _created = dated.run(
        found, home_day, services.reunify, found, found.caseworker, data, uuid=_uuid("found", "home")
    )
    first = reunion.visits[0]
    visit = {
        "visited_on": first.due_on,
        "finding": "Klien tinggal bersama ibu dan mulai bersekolah.",
        "client_well": True,
    }
    dated.run(found, first.due_on, services.record_visit, found, first, found.caseworker, first.version, visit)

    start = lost.intake_date + timedelta(days=1)
    tracing = _request(dated, lost, "lost", start, "Slamet", "sibling", "Kolong jembatan Kalimalang")
    _lead(
        dated,
        lost,
        tracing,
        "lost",
        start + timedelta(days=2),
        "visit",
        "Kunjungan ke Kalimalang",
        "Warga tidak mengenal nama ini.",
    )
    _lead(
        dated,
        lost,
        tracing,
        "lost",
        start + timedelta(days=9),
        "other_agency",
        "Tanya ke Dinas Sosial Kota Bogor",
        "Tidak ada data.",
    )
    _close(dated, lost, tracing, start + timedelta(days=10), "not_found", "Jejak habis; klien tetap dilayani.")
