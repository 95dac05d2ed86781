"""Builders for the figures tests: clients, cases and their records written straight into the tables."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from casework.cases.models import Case, IntakeChannel, Stage
from casework.clients.models import Client
from casework.extensions import db


def at(year, month, day, hour=5):
    """A UTC timestamp (05:00 UTC is noon in Jakarta)."""
    return datetime(year, month, day, hour, tzinfo=UTC)


class Builder:
    """Adds clients, cases and the records hanging off them, straight into the tables (every CHECK holds)."""

    def __init__(self, agency, user, division):
        self.agency, self.user, self.division = agency, user, division
        self.count = 0

    def client(self, name="Klien"):
        client = Client(agency_id=self.agency.id, full_name=name, created_by_id=self.user.id)
        db.session.add(client)
        db.session.flush()
        return client

    def case(self, client=None, unit=None, channel=IntakeChannel.WALK_IN, intake=date(2026, 1, 5), **fields):
        """A case at intake, or past assessment when ``assessed_on`` is given (planning stage)."""
        self.count += 1
        if fields.get("assessed_on"):
            fields.setdefault("stage", Stage.PLANNING)
            fields.setdefault("assessment_started_on", intake)
        if fields.get("terminated_on"):
            fields.setdefault("stage", Stage.TERMINATED)
            fields.setdefault("outcome", "self_reliant")
        case = Case(
            agency_id=self.agency.id,
            number=f"KS-T-{self.count:06d}",
            client_id=(client or self.client()).id,
            unit_id=(unit or self.division).id,
            caseworker_id=self.user.id,
            opened_by_id=self.user.id,
            intake_channel=channel,
            intake_date=intake,
            **fields,
        )
        db.session.add(case)
        db.session.flush()
        return case

    def bulk_outreach(self, count, unit, region_code):
        """``count`` clients, each with one outreach case in ``unit`` taken in during February."""
        client_ids = db.session.scalars(
            sa.insert(Client).returning(Client.id, sort_by_parameter_order=True),
            [
                {"agency_id": self.agency.id, "full_name": f"Klien Massal {n}", "created_by_id": self.user.id}
                for n in range(count)
            ],
        ).all()
        db.session.execute(
            sa.insert(Case),
            [
                {
                    "agency_id": self.agency.id,
                    "number": f"KS-M-{n:06d}",
                    "client_id": client_id,
                    "unit_id": unit.id,
                    "caseworker_id": self.user.id,
                    "opened_by_id": self.user.id,
                    "intake_channel": IntakeChannel.OUTREACH if n % 2 else IntakeChannel.JOINT_RAID,
                    "intake_date": date(2026, 2, 1 + n % 28),
                    "intake_region_code": region_code,
                }
                for n, client_id in enumerate(client_ids)
            ],
        )
