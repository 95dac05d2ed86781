"""What every proposal that a second person decides shares: closures, referrals and transfers.

Each records who proposed it and who decided it, and when, and carries a
version so two deciders cannot both succeed. The four-eyes rule (nobody
decides their own proposal) is held twice: by the services (``refuse_own``)
and by the database (``four_eyes``).
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from casework.auth.models import User
from casework.core.errors import Forbidden
from casework.core.types import UTCDateTime, utcnow


class Proposal:
    """Columns of a decided proposal (a model mixin); the model adds ``status`` and ``version``."""

    proposed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @declared_attr
    def proposed_by(cls) -> Mapped[User]:
        """Who proposed it."""
        return relationship(User, foreign_keys=f"{cls.__name__}.proposed_by_id")

    @declared_attr
    def decided_by(cls) -> Mapped[User | None]:
        """Who approved or rejected it."""
        return relationship(User, foreign_keys=f"{cls.__name__}.decided_by_id")


def four_eyes():
    """The database's four-eyes rule, for a proposal model's ``__table_args__``."""
    return sa.CheckConstraint("decided_by_id IS NULL OR decided_by_id <> proposed_by_id", name="four_eyes")


def refuse_own(proposal, actor, message):
    """Refuses (403) a decision by whoever proposed it, whatever their role."""
    if proposal.proposed_by_id == actor.id:
        raise Forbidden(message)


def mark_decided(proposal, actor, status):
    """Records the decision: the new status, who took it and when."""
    proposal.status, proposal.decided_by_id, proposal.decided_at = status, actor.id, utcnow()
