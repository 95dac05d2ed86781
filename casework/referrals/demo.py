"""Demo referrals for the demo agency, made by the referral operations on open cases of the demo caseworker.

One proposed five days ago and still waiting for the supervisor (overdue), one
approved yesterday and waiting for the rumah singgah's answer, one to the
Puskesmas approved, accepted and completed (its answer recorded by the
caseworker). Each step's event is dated on its day. Idempotent: the referrals'
UUIDs are fixed, and a second run finds the first and changes nothing.
"""

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.models import OPEN_STAGES, Case, CaseEvent
from casework.core.types import utcnow
from casework.extensions import db
from casework.org.models import Unit
from casework.reference.models import Service
from casework.referrals import services
from casework.referrals.models import Referral

_DEMO_REFERRALS = uuid.UUID("7a2c4e6f-1b3d-4f5a-8c9e-0d1f2a3b4c5d")
# The cases used must be this old, so every step lands after intake.
MIN_AGE_DAYS = 10

# (unit code, services, reason, urgency, consent, steps as (operation, by, days ago, text field, text))
STORIES = (
    (
        "RS-01",
        ("permakanan", "dukungan-psikososial"),
        "Tidur di emperan pasar; perlu tempat aman selama keluarganya dicari.",
        "urgent",
        {"consent_given": True},
        (("propose", "peksos", 5, None, None),),
    ),
    (
        "RS-01",
        ("permakanan", "sandang"),
        "Anak jalanan usia 12 tahun; butuh tempat tinggal sementara sebelum dipulangkan.",
        "routine",
        {"consent_given": False, "no_consent_reason": "child"},
        (("propose", "peksos", 3, None, None), ("approve", "supervisor", 1, "note", "Setuju, antar besok pagi.")),
    ),
    (
        "PKM-BJ",
        ("perbekalan-kesehatan",),
        "Luka di kaki tidak kunjung sembuh; perlu diperiksa dan dirawat.",
        "urgent",
        {"consent_given": True},
        (
            ("propose", "peksos", 9, None, None),
            ("approve", "supervisor", 8, "note", None),
            ("accept", "peksos", 7, "note", "Diterima poli umum."),
            ("complete", "peksos", 6, "result", "Luka dibersihkan dan dirawat; kontrol seminggu sekali."),
        ),
    ),
)


def load_demo_referrals(agency):
    """Adds the demo referrals to three open cases of the demo caseworker, unless they exist."""
    if db.session.scalar(sa.select(Referral.id).where(Referral.uuid == uuid.uuid5(_DEMO_REFERRALS, "0"))):
        return
    users = {user.username: user for user in db.session.scalars(sa.select(User).where(User.agency_id == agency.id))}
    units = {unit.code: unit for unit in db.session.scalars(sa.select(Unit).where(Unit.agency_id == agency.id))}
    slugs = {service.slug: service.id for service in db.session.scalars(sa.select(Service))}
    cases = db.session.scalars(
        sa.select(Case)
        .where(
            Case.agency_id == agency.id,
            Case.caseworker_id == users["peksos"].id,
            Case.stage.in_(OPEN_STAGES),
            Case.intake_date <= date.today() - timedelta(days=MIN_AGE_DAYS),
        )
        .order_by(Case.intake_date, Case.id)
        .limit(len(STORIES))
    ).all()
    now = utcnow()
    for serial, (case, story) in enumerate(zip(cases, STORIES, strict=False)):
        unit_code, service_slugs, reason, urgency, consent, steps = story
        referral = None
        for operation, username, days_ago, field, text in steps:
            actor, at = users[username], now - timedelta(days=days_ago)
            if operation == "propose":
                data = {
                    "destination_kind": "partner" if units[unit_code].is_partner else "unit",
                    "to_unit_id": units[unit_code].id,
                    "service_ids": [slugs[slug] for slug in service_slugs],
                    "reason": reason,
                    "urgency": urgency,
                    **consent,
                }
                referral, _created = services.propose(case, actor, data, uuid=uuid.uuid5(_DEMO_REFERRALS, str(serial)))
                referral.proposed_at = at
            else:
                services.DECISIONS[operation][0](referral, actor, referral.version, {field: text})
                stamp = {"approve": "decided_at", "accept": "answered_at", "complete": "completed_at"}[operation]
                setattr(referral, stamp, at)
            last = db.session.scalar(
                sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc()).limit(1)
            )
            last.at = at
            db.session.flush()
