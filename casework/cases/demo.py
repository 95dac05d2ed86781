"""Demo cases for the demo agency: a few hundred, in every stage, made by the case operations themselves.

Each case is opened, assessed, planned, served, moved in and out of the
rumah singgah or shelter, noted, and closed (the holder proposes, the demo
supervisor approves, aftercare starts) by the same named operations the pages
call, so its timeline and audit rows are the real ones; a few cases in
intervention have a closure waiting for the supervisor since today. Only the
timeline's times are moved back to the days the steps are dated (the audit
keeps the time it was written). Intake dates spread over the last ten months;
the demo caseworker ``peksos`` holds about a third of the open cases, a few of
them overdue. The random choices are seeded, so a run on the same day gives
the same cases; a second run finds the first case and changes nothing.
"""

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from casework.auth.models import Role, ScopeKind, User
from casework.cases import deliveries, intake, notes, stages, stays
from casework.cases.models import Case, CaseEvent, Outcome, Stage
from casework.cases.spm import derive_spm_service_type
from casework.clients.models import Client
from casework.clients.synth import synthesise
from casework.closure import services as closures
from casework.extensions import db
from casework.notifications.models import Notification
from casework.org.models import Unit
from casework.reference.models import Region, Service

# Cases made (the DEMO_CASES setting may ask for fewer), and clients besides the named demo clients for them.
CASE_COUNT = 200
SEED = 3275
_DEMO_CASES = uuid.UUID("a3c1f0d2-6b7e-4c59-8e21-4d0b9f6a7c13")
# More caseworkers, so the caseload of the agency is shared; they sign in with the demo password.
CASEWORKERS = [
    ("pendamping1", "Agus Riyanto", "KEC-01"),
    ("pendamping2", "Yuliana Putri", "KEC-03"),
    ("pendamping3", "Dadang Supriatna", "KEC-08"),
    ("pendamping4", "Melati Anggraini", "RS-01"),
    ("pendamping5", "Fajar Nugroho", "KEC-11"),
]
# (stage, weight, youngest and oldest intake in days ago); about half the cases are open.
STAGES = (
    (Stage.INTAKE, 6, 0, 6),
    (Stage.ASSESSMENT, 9, 1, 10),
    (Stage.PLANNING, 8, 4, 30),
    (Stage.INTERVENTION, 25, 12, 150),
    (Stage.TERMINATED, 32, 20, 300),
    (Stage.AFTERCARE, 20, 40, 300),
)
CHANNELS = {
    "outreach": 30,
    "joint_raid": 10,
    "complaint": 15,
    "walk_in": 12,
    "volunteer_finding": 18,
    "emergency": 5,
    "referral_in": 10,
}
OUTCOMES = {
    Outcome.REUNIFIED: 30,
    Outcome.RETURNED_TO_ORIGIN: 15,
    Outcome.REFERRED: 15,
    Outcome.PLACED_IN_PANTI: 8,
    Outcome.SELF_RELIANT: 12,
    Outcome.LOST_CONTACT: 10,
    Outcome.REFUSED: 6,
    Outcome.DIED: 4,
}
PLACES = [
    "Stasiun Bekasi",
    "Terminal Bekasi",
    "Pasar Baru Bekasi",
    "Perempatan Jl. Ahmad Yani",
    "Kolong tol Bekasi Barat",
    "Alun-alun Kota Bekasi",
    "Rumah warga",
    "Pasar Kranji",
    "Halte Summarecon",
    "Bantargebang",
]
CONDITIONS = [
    "Sehat, tidak punya tempat tinggal tetap, tidur di emperan toko.",
    "Kurang gizi dan lemah; belum punya dokumen kependudukan.",
    "Tampak bingung, belum bisa menyebut alamat keluarga.",
    "Sehat; ingin kembali ke keluarga di daerah asal.",
    "Luka ringan, trauma; butuh pendampingan psikososial.",
]
NOTES = [
    "Kunjungan rumah: keluarga bersedia menerima kembali.",
    "Koordinasi dengan Dukcapil untuk perekaman NIK.",
    "Klien mengikuti bimbingan kelompok dengan baik.",
    "Keluarga belum bisa dihubungi; penelusuran dilanjutkan.",
]
# Categories whose clients are usually brought to the rumah singgah, and to the shelter for women and children.
RUMAH_SINGGAH_CATEGORIES = {"anak-jalanan", "gelandangan", "pengemis", "odgj", "orang-terlantar", "anak-telantar"}
SHELTER_CATEGORIES = {"korban-tindak-kekerasan", "korban-perdagangan-orang", "anak-korban-tindak-kekerasan"}
GENERIC_NEEDS = ("bimbingan-fisik-mental-spiritual-sosial", "fasilitasi-dokumen-kependudukan", "rujukan")
PROVIDERS = {"perbekalan-kesehatan": "PKM-BJ", "fasilitasi-dokumen-kependudukan": "DUKCAPIL", "rujukan": "RSUD-CAM"}


def load_demo_cases(agency, named_clients):
    """Creates the demo cases (with more caseworkers and clients) unless the first one exists."""
    if db.session.scalar(sa.select(Case.id).where(Case.uuid == uuid.uuid5(_DEMO_CASES, "0"))):
        return
    _DemoCases(agency).run(named_clients)


class _DemoCases:
    """One run of the demo case generator: its random generator, actors, units and services."""

    def __init__(self, agency):
        self.agency = agency
        self.today = date.today()
        # Seeded, not secure: the same demo cases on every machine.
        self.rng = random.Random(SEED)  # noqa: S311
        self.units = {
            unit.code: unit for unit in db.session.scalars(sa.select(Unit).where(Unit.agency_id == agency.id))
        }
        self.users = self._users()
        self.services = {service.slug: service for service in db.session.scalars(sa.select(Service))}
        self.villages = db.session.scalars(
            sa.select(Region.code).where(Region.level == 4, Region.code.startswith("32.75.")).order_by(Region.code)
        ).all()

    def _users(self):
        """The demo users by username, with the extra caseworkers created (they sign in with the demo password)."""
        users = {
            user.username: user for user in db.session.scalars(sa.select(User).where(User.agency_id == self.agency.id))
        }
        # The demo users' hash of the same password: hashing again would cost a second per run.
        password_hash = users["admin"].password_hash
        for username, full_name, unit_code in CASEWORKERS:
            if username not in users:
                users[username] = User(
                    agency=self.agency,
                    unit=self.units[unit_code],
                    username=username,
                    full_name=full_name,
                    role=Role.CASEWORKER,
                    scope_kind=ScopeKind.AGENCY,
                    password_hash=password_hash,
                )
                db.session.add(users[username])
        db.session.flush()
        return users

    def _synthetic_clients(self, count):
        """``count`` new synthetic clients (bulk-inserted like ``flask casework synth``), oldest first."""
        last = db.session.scalar(sa.select(sa.func.max(Client.id))) or 0
        for _done in synthesise(self.agency, count, seed=SEED):
            pass
        return db.session.scalars(
            sa.select(Client).where(Client.agency_id == self.agency.id, Client.id > last).order_by(Client.id)
        ).all()

    def run(self, named_clients):
        """Makes every demo case, for the named demo clients first."""
        count = current_app.config.get("DEMO_CASES", CASE_COUNT)
        clients = [*named_clients, *self._synthetic_clients(max(0, count - len(named_clients)))]
        others = [self.users[username] for username, *_rest in CASEWORKERS] + [self.users["supervisor"]]
        for serial in range(count):
            stage, _weight, youngest, oldest = self.rng.choices(STAGES, [weight for _s, weight, *_a in STAGES])[0]
            if stage in (Stage.INTAKE, Stage.ASSESSMENT) and self.rng.random() < 0.15:
                youngest, oldest = 9, 30
            open_case = stage not in (Stage.TERMINATED, Stage.AFTERCARE)
            holder = (
                self.users["peksos"] if self.rng.random() < (0.5 if open_case else 0.2) else self.rng.choice(others)
            )
            intake_date = self.today - timedelta(days=self.rng.randint(youngest, oldest))
            _Story(self, serial, clients[serial % len(clients)], holder, stage, intake_date).tell()
        # The demo's past is read; what came today (closures proposed today) waits unread.
        midnight = datetime.combine(self.today, time(), tzinfo=UTC)
        db.session.execute(
            sa.update(Notification)
            .where(Notification.event_id.in_(sa.select(CaseEvent.id).where(CaseEvent.at < midnight)))
            .values(read_at=midnight)
        )


class _Story:
    """One demo case from intake to the stage it is meant to reach, each step dated and stamped."""

    def __init__(self, demo, serial, client, holder, stage, intake_date):
        self.demo, self.rng, self.today = demo, demo.rng, demo.today
        self.serial, self.client, self.holder, self.target = serial, client, holder, stage
        self.intake_date = intake_date
        self.stamps = []
        self.case = None

    def day(self, start, low, high):
        """A day ``low``..``high`` days after ``start``, never after today."""
        return min(self.today, start + timedelta(days=self.rng.randint(low, high)))

    def step(self, on, operation, *args, **kwargs):
        """Runs a case operation dated ``on`` (its timeline event is stamped that day)."""
        self.stamps.append(on)
        return operation(*args, **kwargs)

    def uuid(self, kind):
        """The UUID of the case's ``kind`` record number n (its n-th delivery, note), the same on every run."""
        return uuid.uuid5(_DEMO_CASES, f"{self.serial}-{kind}-{len(self.stamps)}")

    def tell(self):
        """Opens the case and takes it as far as its target stage; then dates its timeline."""
        self.open()
        slugs = {held.category.slug for held in self.client.categories}
        residence = (
            "RS-01" if slugs & RUMAH_SINGGAH_CATEGORIES else "SHELTER-PA" if slugs & SHELTER_CATEGORIES else None
        )
        if residence and self.rng.random() < 0.45:
            self.stay(residence)
        if self.target == Stage.INTAKE:
            return self.stamp_events()
        early_end = self.target in (Stage.TERMINATED, Stage.AFTERCARE) and self.rng.random() < 0.1
        started = self.day(self.intake_date, 0, 2)
        data = {"started_on": started}
        self.step(started, stages.begin_assessment, self.case, self.holder, self.case.version, data, today=self.today)
        if self.target == Stage.ASSESSMENT or early_end:
            return self.finish(started, early=early_end)
        self.assess(started)
        if self.target != Stage.PLANNING:
            self.plan_and_serve()
        if self.rng.random() < 0.3:
            on = self.day(self.intake_date, 3, 40)
            self.step(
                on, notes.add_note, self.case, self.holder, {"body": self.rng.choice(NOTES)}, uuid=self.uuid("note")
            )
        return self.finish(max(self.stamps))

    def open(self):
        """Opens the case at intake, by the caseworker or by the TKSK who found the person."""
        rng, demo = self.rng, self.demo
        channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
        actor = demo.users["tksk"] if channel == "volunteer_finding" else self.holder
        domicile = self.client.domicile_region_code or ""
        data = {
            "intake_channel": channel,
            "intake_date": self.intake_date,
            "intake_region_code": domicile
            if domicile.count(".") >= 2 and domicile.startswith("32.75.")
            else rng.choice(demo.villages),
            "intake_place": rng.choice(PLACES),
            "circumstances": "Ditemukan sendirian; dibawa ke dinas untuk didata.",
            "unit_id": self.holder.unit_id,
            "caseworker_id": self.holder.id,
        }
        if rng.random() < 0.7:
            data["intake_latitude"] = round(-6.24 + rng.uniform(-0.06, 0.06), 6)
            data["intake_longitude"] = round(106.99 + rng.uniform(-0.06, 0.06), 6)
        case_uuid = uuid.uuid5(_DEMO_CASES, str(self.serial))
        self.case, _created = self.step(
            self.intake_date, intake.open_case, demo.agency, actor, self.client, data, case_uuid, today=self.today
        )

    def stay(self, code):
        """Admits the client on the intake day; most leave within the stay limit, a few open cases stay on."""
        case, admitted = self.case, self.intake_date
        data = {"unit_id": self.demo.units[code].id, "admitted_on": admitted}
        self.step(admitted, stays.admit, case, self.holder, case.version, data, today=self.today)
        stays_on = self.target not in (Stage.TERMINATED, Stage.AFTERCARE) and self.rng.random() < 0.3
        if not stays_on and admitted < self.today:
            out = self.day(admitted, 1, 6)
            data = {"discharged_on": out, "setting": self.rng.choice(("family", "community"))}
            self.step(out, stays.discharge, case, self.holder, case.version, data, today=self.today)

    def assess(self, started):
        """Completes the assessment with needs from the SPM package the client falls under."""
        case, services = self.case, self.demo.services
        assessed = self.day(started, 1, 4)
        spm_type = derive_spm_service_type(case, assessed)
        package = [item.service for item in spm_type.package] if spm_type else [services[s] for s in GENERIC_NEEDS]
        needs = []
        for service in self.rng.sample(package, min(len(package), self.rng.randint(2, 4))):
            repeated = service.default_unit in ("hari", "sesi")
            needs.append(
                {"service_id": service.id, "quantity": self.rng.randint(2, service.max_days or 4) if repeated else 1}
            )
        data = {"assessed_on": assessed, "condition": self.rng.choice(CONDITIONS), "needs": needs}
        self.step(assessed, stages.complete_assessment, case, self.holder, case.version, data, today=self.today)

    def plan_and_serve(self):
        """Records the plan, then delivers the needs: all of them for most closed cases, part for open ones."""
        case, rng = self.case, self.rng
        planned = self.day(case.assessed_on, 0, 3)
        due = {str(need.service_id): self.day(planned, 7, 21) for need in case.needs}
        data = {
            "planned_on": planned,
            "plan_goals": "Kebutuhan dasar terpenuhi, klien kembali ke keluarga.",
            "due_dates": due,
        }
        self.step(planned, stages.record_plan, case, self.holder, case.version, data, today=self.today)
        closing = self.target in (Stage.TERMINATED, Stage.AFTERCARE)
        if not closing and rng.random() < 0.08:
            return
        share = 1 if closing and rng.random() < 0.8 else rng.random()
        last = self.day(planned, 10, 45)
        for need in list(case.needs):
            remaining = round(need.quantity * share) if share < 1 else need.quantity
            while remaining > 0:
                quantity = min(remaining, rng.randint(1, 3))
                self.deliver(need.service_id, self.day(planned, 0, max(0, (last - planned).days)), quantity)
                remaining -= quantity

    def deliver(self, service_id, on, quantity):
        """Records one delivery, by a partner for the services partners give."""
        service = next(need.service for need in self.case.needs if need.service_id == service_id)
        provider = self.demo.units.get(PROVIDERS.get(service.slug, ""))
        data = {
            "service_id": service_id,
            "delivered_on": on,
            "quantity": quantity,
            "provider_unit_id": provider.id if provider else None,
        }
        self.step(on, deliveries.record_delivery, self.case, self.holder, data, self.uuid("delivery"), today=self.today)

    def finish(self, last, early=False):
        """Closes a case meant to be closed, or proposes closing a few in intervention today; dates the timeline.

        A closure is proposed by the holder and approved by the supervisor;
        the aftercare of the cases meant for it starts on approval.
        """
        rng = self.rng
        if self.target in (Stage.TERMINATED, Stage.AFTERCARE):
            outcome = (
                rng.choice((Outcome.LOST_CONTACT, Outcome.REFUSED))
                if early
                else rng.choices(list(OUTCOMES), list(OUTCOMES.values()))[0]
            )
            ended = self.day(last, 1, 10)
            months = rng.choice((6, 12)) if self.target == Stage.AFTERCARE and outcome != Outcome.DIED else None
            closure = self.propose_closure(ended, outcome, months)
            # The supervisor approves, unless the supervisor proposed it: four eyes, so the administrator does.
            approver = self.demo.users["admin" if self.holder.username == "supervisor" else "supervisor"]
            self.step(
                self.day(ended, 0, 3), closures.approve_closure, closure, approver, closure.version, today=self.today
            )
        elif self.target == Stage.INTERVENTION and rng.random() < 0.12:
            self.propose_closure(self.today, Outcome.REUNIFIED, 12)
        self.stamp_events()

    def propose_closure(self, ended, outcome, months):
        """The holder proposes to close the case on ``ended``; returns the closure."""
        case = self.case
        data = {
            "outcome": outcome.value,
            "terminated_on": ended,
            "termination_notes": "Terminasi sesuai rencana.",
            "aftercare_months": months,
        }
        closure, _created = self.step(
            ended,
            closures.propose_closure,
            case,
            self.holder,
            case.version,
            data,
            uuid=self.uuid("closure"),
            today=self.today,
        )
        return closure

    def stamp_events(self):
        """Moves each timeline event to the day of its step (a "needs met" shares its delivery's), in step order."""
        events = db.session.execute(
            sa.select(CaseEvent.id, CaseEvent.kind).where(CaseEvent.case_id == self.case.id).order_by(CaseEvent.id)
        ).all()
        order = sorted(range(len(self.stamps)), key=lambda index: self.stamps[index])
        rank = {index: position for position, index in enumerate(order)}
        moves, step = [], -1
        for event_id, kind in events:
            step += kind != "needs_met"
            minutes = 90 + 7 * rank[step] + (kind == "needs_met")
            moves.append(
                {
                    "event_id": event_id,
                    "at": datetime.combine(self.stamps[step], time(), tzinfo=UTC) + timedelta(minutes=minutes),
                }
            )
        table = CaseEvent.__table__
        db.session.execute(
            table.update().where(table.c.id == sa.bindparam("event_id")).values(at=sa.bindparam("at")), moves
        )
