"""Synthetic cases (``flask casework synth --cases``): every row valid, a realistic mix, numbers from the counters."""

from datetime import date

import sqlalchemy as sa

from casework.auth.models import Role, User
from casework.cases.models import Case, CaseNeed, CaseNumberCounter, ServiceDelivery, Stage
from casework.cases.needs import refresh_needs_met
from casework.cases.synth import synthesise_cases
from casework.clients.synth import synthesise
from casework.extensions import db
from casework.org.models import Unit
from casework.reference.models import Service

TODAY = date(2026, 11, 20)
COUNT = 400


def synth_cases(agency, count=COUNT, seed=3):
    """Adds clients, then ``count`` cases for them; the agency's cases, oldest id first."""
    list(synthesise(agency, 150, seed=seed, batch_size=100))
    totals = list(synthesise_cases(agency, count, seed=seed, today=TODAY, batch_size=150))
    assert totals[-1][0] == count
    return db.session.scalars(sa.select(Case).where(Case.agency_id == agency.id).order_by(Case.id)).all()


def _count(model, *conditions):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def test_cases_have_a_realistic_mix_and_about_ten_deliveries_each(agency, caseworker, shelter):
    cases = synth_cases(agency)
    assert len(cases) == COUNT
    stages = {stage: sum(case.stage == stage for case in cases) for stage in Stage}
    assert all(stages[stage] > 0 for stage in Stage), stages
    assert 0.3 < sum(case.is_open for case in cases) / COUNT < 0.6
    deliveries = _count(ServiceDelivery, ServiceDelivery.case_id.in_([case.id for case in cases]))
    assert 7 < deliveries / COUNT < 13
    assert any(case.needs_met_on for case in cases)
    assert any(stay.discharged_on is None for case in cases for stay in case.stays)
    assert len({case.intake_channel for case in cases}) >= 5


def test_cases_keep_the_rules_the_operations_keep(agency, caseworker):
    cases = synth_cases(agency)
    meals = db.session.scalar(sa.select(Service).where(Service.slug == "permakanan"))
    for case in cases:
        assert case.intake_date <= TODAY
        if case.stage in (Stage.PLANNING, Stage.INTERVENTION):
            assert case.assessed_on and case.needs
        if case.stage in (Stage.TERMINATED, Stage.AFTERCARE):
            assert case.outcome and case.terminated_on >= case.intake_date
        met = (case.needs_met_on, [need.met_on for need in case.needs])
        refresh_needs_met(case)
        assert (case.needs_met_on, [need.met_on for need in case.needs]) == met, case.id
        assert sum(stay.discharged_on is None for stay in case.stays) <= (1 if case.is_open else 0)
    early = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ServiceDelivery)
        .join(Case)
        .where(Case.agency_id == agency.id, ServiceDelivery.delivered_on < Case.intake_date)
    )
    assert early == 0
    over_cap = db.session.execute(
        sa.select(ServiceDelivery.case_id)
        .where(ServiceDelivery.service_id == meals.id)
        .group_by(ServiceDelivery.case_id)
        .having(sa.func.sum(ServiceDelivery.quantity) > meals.max_days)
    ).all()
    assert over_cap == []


def test_case_numbers_continue_the_counters(agency, caseworker, new_case):
    opened = new_case()
    cases = synth_cases(agency, count=200)
    numbers = [case.number for case in cases]
    assert len(set(numbers)) == len(numbers)
    counters = db.session.execute(
        sa.select(CaseNumberCounter.year, CaseNumberCounter.last).where(CaseNumberCounter.agency_id == agency.id)
    ).all()
    for year, last in counters:
        of_year = sorted(int(number[-6:]) for number in numbers if number.startswith(f"KS-{year}-"))
        assert of_year == list(range(1, last + 1)), year
    assert opened.number == "KS-2026-000001"


def test_cases_are_held_by_200_synthetic_staff_in_20_units(agency, caseworker):
    cases = synth_cases(agency, count=100)
    holders = db.session.scalars(sa.select(User).where(User.agency_id == agency.id, User.username.like("syn-%"))).all()
    assert len(holders) == 200
    assert sum(user.role == Role.SUPERVISOR for user in holders) == 20
    assert _count(Unit, Unit.agency_id == agency.id, Unit.code.like("SYN-%")) == 20
    ids = {user.id for user in holders}
    assert all(case.caseworker_id in ids for case in cases)
    # A second run reuses them.
    list(synthesise_cases(agency, 10, seed=4, today=TODAY))
    assert _count(User, User.agency_id == agency.id, User.username.like("syn-%")) == 200


def test_the_same_seed_gives_the_same_cases(agency, caseworker, make):
    def shape(cases):
        return [(case.stage, case.intake_date, case.outcome, len(case.needs)) for case in cases]

    first = synth_cases(agency, count=120)
    other = make.unit(code="REHSOS", name="Bidang Rehabilitasi Sosial").agency
    make.user(unit=other.units[0])
    second = synth_cases(other, count=120)
    assert shape(first) == shape(second)
    assert _count(CaseNeed) > 0
