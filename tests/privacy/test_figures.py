"""Anonymising every client past retention leaves every official figure as it was (on the demo agency)."""

from datetime import date

import sqlalchemy as sa

from casework.cases.models import Case, Stage
from casework.clients.models import Client
from casework.core.localtime import local_today
from casework.demo import AGENCY_CODE, load_demo_data
from casework.extensions import db
from casework.figures.achievement import agency_indicators, parse_period, served
from casework.figures.spm import spm_index
from casework.org.models import Agency
from casework.privacy.models import ClientAnonymisation
from casework.privacy.scope import PersonScope
from casework.privacy.sweep import sweep_agency


def _figures(agency):
    """Every indicator's table and the SPM index, for this year and last."""
    figures = {}
    this_year = local_today().year
    for year in (this_year - 1, this_year):
        period = parse_period(str(year))
        for indicator in db.session.scalars(agency_indicators(agency)).all():
            report = served(agency, indicator, period)
            figures[(indicator.code, year)] = (tuple(report.rows), report.total)
        rows, overall = spm_index(agency, period)
        figures[("spm", year)] = (
            [(row.spm_type.id, row.recipients, row.quality, row.index, row.band) for row in rows],
            (overall.recipients, overall.quality, overall.index, overall.band),
        )
    return figures


def test_the_figures_are_unchanged(app):
    load_demo_data()
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
    terminated = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Case.client_id))).where(
            Case.agency_id == agency.id, Case.stage == Stage.TERMINATED
        )
    )
    assert terminated, "the demo data has no terminated case"
    names = dict(db.session.execute(sa.select(Client.id, Client.full_name).where(Client.agency_id == agency.id)).all())
    db.session.commit()
    before = _figures(agency)
    assert any(total.realisation for key, (_rows, total) in before.items() if key[0] != "spm")
    # Far enough ahead that every terminated case is past the default ten years.
    counts = sweep_agency(agency, today=date(local_today().year + 20, 1, 1), batch=7)
    assert counts["clients"] > 0
    anonymised = db.session.scalar(
        sa.select(sa.func.count()).select_from(Client).where(Client.full_name.like("Anonim-%"))
    )
    assert anonymised >= counts["clients"]
    assert _figures(agency) == before
    gone = db.session.scalars(sa.select(ClientAnonymisation.client_id)).all()
    # No row anywhere that belongs to them still carries their name.
    scope = PersonScope(gone)
    held = " ".join(str(row) for table in scope.tables for row in db.session.execute(scope.select(table)))
    assert not [names[client_id] for client_id in gone if names[client_id] in held]
