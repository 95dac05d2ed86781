"""Synthetic cases in bulk, for benchmarks (``flask casework synth --cases M``).

The shape is a city agency's caseload: a stage mix where most cases are in
intervention or closed, intake dates over three years (recent ones in the
early stages, a few past the assessment deadline), needs drawn from the SPM
package of the client's group, about ten service deliveries per case that
meet the needs of most closed cases, short shelter stays (a few still open
past the limit), and outcomes. Cases are held by about 200 synthetic
caseworkers in 20 units, created on first use.

Rows go in with the reference loader's bulk insert (COPY on PostgreSQL),
never through the service layer, one batch at a time; every row satisfies
the CHECK constraints of ``casework.cases.models``, and case numbers continue
from the agency's counters, which are moved past them per batch. Dates are
relative to ``today``: the same seed on the same day gives the same cases.
"""

import functools
import random
import uuid as uuid_module
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from casework.cases.models import Case, CaseNeed, CaseNumberCounter, CaseStay, Outcome, ServiceDelivery, Setting, Stage
from casework.cases.stages import AFTERCARE_MONTHS, add_months
from casework.cases.synth_setting import GENERIC_NEEDS, client_groups, synth_setting
from casework.clients.synth import SynthError, reserve_ids
from casework.extensions import db
from casework.reference.loader import insert_rows

BATCH_SIZE = 5_000
# (stage, weight, youngest and oldest intake in days ago)
STAGE_MIX = (
    (Stage.INTAKE, 5, 0, 6),
    (Stage.ASSESSMENT, 7, 1, 12),
    (Stage.PLANNING, 6, 4, 30),
    (Stage.INTERVENTION, 27, 10, 200),
    (Stage.TERMINATED, 35, 15, 1095),
    (Stage.AFTERCARE, 20, 30, 1095),
)
# Of the cases at intake or assessment, those left past the deadline (intake up to two months ago).
OVERDUE_ASSESSMENT_SHARE = 0.12
# Of the terminated cases, those that ended before a plan (the client died, left or refused).
EARLY_END_SHARE = 0.12
# Of the cases in intervention, those given nothing yet; of the closed ones, those whose needs were met.
NOTHING_DELIVERED_SHARE = 0.03
CLOSED_MET_SHARE = 0.75
FAMILY_SHARE = 0.4
# Most follow-up deliveries of a case's needs (guidance sessions, health checks) beyond what was assessed.
FOLLOW_UPS = 14
STAY_SHARE = 0.10
OPEN_STAY_SHARE = 0.3
OUTCOMES = (
    (Outcome.REUNIFIED, 30),
    (Outcome.RETURNED_TO_ORIGIN, 15),
    (Outcome.REFERRED, 15),
    (Outcome.PLACED_IN_PANTI, 8),
    (Outcome.SELF_RELIANT, 12),
    (Outcome.LOST_CONTACT, 10),
    (Outcome.REFUSED, 6),
    (Outcome.DIED, 4),
)
EARLY_OUTCOMES = (Outcome.LOST_CONTACT, Outcome.REFUSED, Outcome.DIED, Outcome.REFERRED)
CHANNELS = (
    ("outreach", 35),
    ("joint_raid", 10),
    ("complaint", 15),
    ("walk_in", 12),
    ("volunteer_finding", 15),
    ("emergency", 5),
    ("referral_in", 8),
)
# Services given besides the assessed needs, and those for clients of no SPM group.
EXTRA_SERVICES = ("penjangkauan", "layanan-kedaruratan", "permakanan")
# Needs of more than one (days of meals, sessions) take one delivery per day or session.
REPEATED_UNITS = ("hari", "sesi")
PLACES = (
    "Stasiun Bekasi",
    "Terminal Bekasi",
    "Pasar Baru Bekasi",
    "Perempatan Jl. Ahmad Yani",
    "Kolong jembatan tol",
    "Alun-alun",
    "Rumah warga",
    None,
    None,
)


class _CaseMaker:
    """Draws one synthetic case, with its needs, deliveries and stay, from a seeded random generator."""

    def __init__(self, rng, setting):
        self.rng = rng
        # Started from the seed and the first new id in ``synthesise_cases``: a second run's UUIDs are new ones.
        self.uuids = None
        self.setting = setting
        self.stage_cum = _cumulative(weight for _stage, weight, *_ages in STAGE_MIX)
        self.outcome_cum = _cumulative(weight for _outcome, weight in OUTCOMES)
        self.channel_cum = _cumulative(weight for _channel, weight in CHANNELS)
        self.generic = [setting.services[slug][0] for slug in GENERIC_NEEDS if slug in setting.services]
        self.extra = [setting.services[slug][0] for slug in EXTRA_SERVICES if slug in setting.services]
        self.by_id = {service_id: (unit, max_days) for service_id, unit, max_days in setting.services.values()}

    def between(self, low, high):
        """A whole number from ``low`` to ``high``; ``randint`` costs several times more, and runs millions of times."""
        return low + int(self.rng.random() * (high - low + 1))

    def day(self, start, low, high):
        """A day ``low``..``high`` days after ``start``, never after today."""
        return min(self.setting.today, start + _DAYS[self.between(low, high)])

    def uuid(self):
        """A random (version 4) UUID from its own seeded generator (``uuid5`` of the id costs four times more)."""
        return uuid_module.UUID(int=self.uuids.getrandbits(128), version=4)

    def case(self, case_id, client_id, group):
        """The case row (without its number) and its need, delivery and stay rows."""
        rng, setting, today = self.rng, self.setting, self.setting.today
        stage, _weight, youngest, oldest = rng.choices(STAGE_MIX, cum_weights=self.stage_cum)[0]
        if stage in (Stage.INTAKE, Stage.ASSESSMENT) and rng.random() < OVERDUE_ASSESSMENT_SHARE:
            youngest, oldest = 10, 60
        intake = today - _DAYS[self.between(youngest, oldest)]
        holder, unit = rng.choice(setting.holders)
        row = _case_row(case_id, client_id, setting, holder, unit, stage, intake)
        row["uuid"] = self.uuid()
        row["intake_channel"] = rng.choices(CHANNELS, cum_weights=self.channel_cum)[0][0]
        row["intake_region_code"] = rng.choice(setting.villages)
        row["intake_place"] = rng.choice(PLACES)
        if rng.random() < FAMILY_SHARE:
            row["setting"] = Setting.FAMILY.value
        if rng.random() < 0.6:
            row["intake_latitude"] = round(-6.24 + rng.uniform(-0.08, 0.08), 6)
            row["intake_longitude"] = round(106.99 + rng.uniform(-0.08, 0.08), 6)
        closed = stage in (Stage.TERMINATED, Stage.AFTERCARE)
        early_end = closed and rng.random() < EARLY_END_SHARE
        if stage != Stage.INTAKE and not (early_end and rng.random() < 0.4):
            row["assessment_started_on"] = self.day(intake, 0, 2)
        assessed = stage in (Stage.PLANNING, Stage.INTERVENTION) or (closed and not early_end)
        needs = []
        if assessed:
            row["assessed_on"] = self.day(row["assessment_started_on"], 0, 5)
            row["condition"] = "Kondisi klien dicatat saat asesmen."
            spm_type, package = setting.types.get(group, (None, self.generic))
            row["spm_service_type_id"] = spm_type
            needs = self.needs(case_id, package)
        if stage == Stage.INTERVENTION or (closed and not early_end):
            row["planned_on"] = self.day(row["assessed_on"], 0, 3)
            row["plan_goals"] = "Kebutuhan dasar terpenuhi dan klien kembali ke keluarga."
            for need in needs:
                need["due_on"] = self.day(row["planned_on"], 3, 30)
        if closed:
            start = row["planned_on"] or row["assessment_started_on"] or intake
            row["terminated_on"] = self.day(start, 1, 10) if early_end else self.day(start, 7, 90)
            if early_end:
                row["outcome"] = rng.choice(EARLY_OUTCOMES).value
            else:
                row["outcome"] = rng.choices(OUTCOMES, cum_weights=self.outcome_cum)[0][0].value
        if stage == Stage.AFTERCARE:
            row["aftercare_until"] = add_months(row["terminated_on"], rng.choice(AFTERCARE_MONTHS))
        stays = self.stay(row) if setting.shelters and rng.random() < STAY_SHARE else []
        deliveries = self.deliveries(row, needs, holder)
        met = [need["met_on"] for need in needs]
        row["needs_met_on"] = max(met) if met and all(met) else None
        # Deliveries come in day order.
        row["first_delivered_on"] = deliveries[0]["delivered_on"] if deliveries else None
        row["updated_at"] = _stamp(max(d for d in (row["terminated_on"], row["planned_on"], intake) if d))
        return row, needs, deliveries, stays

    def needs(self, case_id, package):
        """Two to five services of ``package``, with quantities (days of meals, sessions) the service allows."""
        rows = []
        for service_id in self.rng.sample(package, min(len(package), self.between(2, 5))):
            unit, max_days = self.by_id[service_id]
            quantity = self.between(2, max_days or 6) if unit in REPEATED_UNITS else 1
            rows.append(
                {"case_id": case_id, "service_id": service_id, "quantity": quantity, "due_on": None, "met_on": None}
            )
        return rows

    def deliveries(self, row, needs, holder):
        """Deliveries of the needs (all of them for most closed cases), a few extras; sets each need's met date."""
        rng, stage = self.rng, row["stage"]
        first = row["planned_on"] or row["intake_date"]
        last = row["terminated_on"] or self.setting.today
        units = []
        if stage == Stage.INTERVENTION and rng.random() < NOTHING_DELIVERED_SHARE:
            return []
        complete = stage in (Stage.TERMINATED, Stage.AFTERCARE) and rng.random() < CLOSED_MET_SHARE
        for need in needs:
            units.extend([need] * (need["quantity"] if complete else self.between(0, need["quantity"])))
        # Guidance and help go on after a need is met: follow-up sessions of uncapped needs.
        uncapped = [need["service_id"] for need in needs if not self.by_id[need["service_id"]][1]]
        if uncapped and stage != Stage.PLANNING:
            units.extend({"service_id": rng.choice(uncapped)} for _n in range(self.between(0, FOLLOW_UPS)))
        extra = [service_id for service_id in self.extra if service_id not in {need["service_id"] for need in needs}]
        if extra and (stage != Stage.INTAKE or rng.random() < 0.3):
            units.extend({"service_id": service_id} for service_id in rng.sample(extra, self.between(0, len(extra))))
        span = max(0, (last - first).days)
        days = sorted(first + _DAYS[self.between(0, span)] for _unit in units)
        rng.shuffle(units)
        given, rows = {}, []
        wanted = {need["service_id"]: need for need in needs}
        for item, day in zip(units, days, strict=True):
            service_id = item["service_id"]
            given[service_id] = given.get(service_id, 0) + 1
            need = wanted.get(service_id)
            if need is not None and need["met_on"] is None and given[service_id] >= need["quantity"]:
                need["met_on"] = day
            rows.append(
                {
                    "case_id": row["id"],
                    "service_id": service_id,
                    "delivered_on": day,
                    "quantity": 1,
                    "unit_label": self.by_id[service_id][0],
                    "recorded_by_id": holder,
                    "created_at": _stamp(day),
                }
            )
        return rows

    def stay(self, row):
        """A shelter stay from intake: discharged within a few days, or (for some open cases) still open."""
        rng, setting = self.rng, self.setting
        admitted = row["intake_date"]
        limit = setting.stay_limit
        end = row["terminated_on"] or setting.today
        still_open = row["terminated_on"] is None and rng.random() < OPEN_STAY_SHARE
        discharged = None if still_open else min(end, admitted + _DAYS[self.between(1, limit + 2)])
        row["setting"] = Setting.SHELTER.value if still_open else row["setting"]
        return [
            {
                "case_id": row["id"],
                "unit_id": rng.choice(setting.shelters),
                "admitted_on": admitted,
                "discharged_on": discharged,
                "limit_days": limit,
                "last_allowed_day": admitted + timedelta(days=limit - 1),
            }
        ]


def _cumulative(weights):
    """Cumulative weights for ``random.choices``."""
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


@functools.cache
def _stamp(day):
    """Noon in Jakarta (05:00 UTC) of ``day``, for the timestamps of synthetic rows."""
    return datetime.combine(day, time(5, 0), tzinfo=UTC)


# Day offsets, built once: ``timedelta(days=n)`` in the inner loops cost more than the rest of a delivery.
_DAYS = [timedelta(days=days) for days in range(4000)]


def _case_row(case_id, client_id, setting, holder, unit, stage, intake):
    """A case row with every column given (COPY skips the model's defaults), the optional ones empty."""
    return {
        "id": case_id,
        "uuid": None,
        "agency_id": setting.agency_id,
        "number": None,
        "client_id": client_id,
        "unit_id": unit,
        "caseworker_id": holder,
        "stage": stage.value,
        "intake_channel": None,
        "intake_date": intake,
        "intake_region_code": None,
        "intake_place": None,
        "intake_latitude": None,
        "intake_longitude": None,
        "circumstances": None,
        "setting": Setting.COMMUNITY.value,
        "assessment_started_on": None,
        "assessed_on": None,
        "condition": None,
        "spm_service_type_id": None,
        "planned_on": None,
        "plan_goals": None,
        "needs_met_on": None,
        "first_delivered_on": None,
        "terminated_on": None,
        "outcome": None,
        "termination_notes": None,
        "aftercare_until": None,
        "opened_by_id": holder,
        "created_at": _stamp(intake),
        "updated_at": None,
        "version": 1,
    }


def _number(setting, cases):
    """Gives ``cases`` their numbers in intake order, continuing each year's counter; returns the counters used."""
    cases.sort(key=lambda row: (row["intake_date"], row["id"]))
    years = set()
    for row in cases:
        year = row["intake_date"].year
        last = setting.counters.get(year, 0) + 1
        setting.counters[year] = last
        row["number"] = f"KS-{year}-{last:06d}"
        years.add(year)
    return years


def _save_counters(setting, years):
    """Moves the agency's counters of ``years`` past the numbers given."""
    table = CaseNumberCounter.__table__
    for year in years:
        where = (table.c.agency_id == setting.agency_id) & (table.c.year == year)
        moved = db.session.execute(sa.update(table).where(where).values(last=setting.counters[year])).rowcount
        if not moved:
            db.session.execute(
                sa.insert(table).values(agency_id=setting.agency_id, year=year, last=setting.counters[year])
            )


def synthesise_cases(agency, count, seed=0, today=None, batch_size=BATCH_SIZE):
    """Inserts ``count`` synthetic cases for the agency's clients (newest first, one each, then round again).

    Yields (cases, deliveries) done so far after each batch; the caller may
    commit between batches. Raises ``SynthError`` when the agency has no clients
    or villages.
    """
    setting = synth_setting(agency, today or date.today())
    client_ids, groups = client_groups(agency.id)
    if not client_ids:
        raise SynthError(f"agency {agency.code} has no clients; add some with --clients")
    # Seeded, not secure: the point is the same cases again for the same seed.
    maker = _CaseMaker(random.Random(seed), setting)  # noqa: S311
    done = delivered = 0
    while done < count:
        size = min(batch_size, count - done)
        cases, needs, deliveries, stays = [], [], [], []
        case_ids = reserve_ids(Case.__table__, size)
        # Seeded, not secure; from the first new id too, so that the same seed run twice gives new UUIDs.
        maker.uuids = maker.uuids or random.Random(f"{seed}:{case_ids[0]}")  # noqa: S311
        for offset, case_id in enumerate(case_ids):
            at = (done + offset) % len(client_ids)
            case, case_needs, case_deliveries, case_stays = maker.case(case_id, client_ids[at], groups[at])
            cases.append(case)
            needs.extend(case_needs)
            deliveries.extend(case_deliveries)
            stays.extend(case_stays)
        _save_counters(setting, _number(setting, cases))
        for delivery_id, delivery in zip(
            reserve_ids(ServiceDelivery.__table__, len(deliveries)), deliveries, strict=True
        ):
            delivery.update(
                id=delivery_id,
                uuid=maker.uuid(),
                provider_unit_id=None,
                provider_name=None,
                notes=None,
            )
        insert_rows(Case.__table__, cases)
        insert_rows(CaseNeed.__table__, needs)
        insert_rows(CaseStay.__table__, stays)
        insert_rows(ServiceDelivery.__table__, deliveries)
        done += size
        delivered += len(deliveries)
        yield done, delivered
