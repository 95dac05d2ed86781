"""Demo referrals: made by the referral operations, one of each waiting kind, idempotent."""

import sqlalchemy as sa

from casework.demo import load_demo_data
from casework.extensions import db
from casework.org.models import Agency
from casework.referrals import queries
from casework.referrals.models import Referral, ReferralStatus


def test_demo_referrals_wait_on_the_supervisor_and_the_receiver(app):
    load_demo_data()
    referrals = db.session.scalars(sa.select(Referral).order_by(Referral.number)).all()
    assert [referral.status for referral in referrals] == [
        ReferralStatus.PROPOSED,
        ReferralStatus.APPROVED,
        ReferralStatus.COMPLETED,
    ]
    agency = db.session.get(Agency, referrals[0].agency_id)
    assert [referral.id for referral in queries.overdue(agency)] == [referrals[0].id]
    load_demo_data()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 3
