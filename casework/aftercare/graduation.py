"""Graduation: the type of an exit from the case outcome and the exit decision, and the self-reliance index.

The PKH graduation types are *alamiah* (natural), *mandiri* (self-reliant)
and *paksa* (removed). For a PPKS case the outcome fixes the type when it
leaves no room for a verdict (died: natural; left / lost contact or refused
services: removed); for every other outcome the scored exit assessment
decides: self-reliant when the assessor judged so, natural otherwise (the
client's need ended by reunification, return home, referral or placement).
An exit without an exit assessment is never counted self-reliant: graduation
rests on the scored assessment, not on the outcome chosen at closure. The
same table gives the Python answer and the SQL expression the figures use.
"""

import sqlalchemy as sa

from casework.aftercare.models import ExitDecision, GraduationType
from casework.cases.models import Outcome
from casework.core.figures import percent

# Outcomes whose graduation type does not depend on the exit decision.
FIXED_TYPES = {
    Outcome.DIED: GraduationType.NATURAL,
    Outcome.LOST_CONTACT: GraduationType.REMOVED,
    Outcome.REFUSED: GraduationType.REMOVED,
}
# Outcomes that can only be judged one way.
REQUIRED_DECISIONS = {Outcome.SELF_RELIANT: ExitDecision.SELF_RELIANT}


def graduation_type(outcome, decision):
    """The graduation type of an exit with ``outcome`` and exit ``decision`` (None: no exit assessment)."""
    if outcome in FIXED_TYPES:
        return FIXED_TYPES[outcome]
    return GraduationType.SELF_RELIANT if decision == ExitDecision.SELF_RELIANT else GraduationType.NATURAL


def graduation_type_sql(outcome, decision):
    """``graduation_type`` as a SQL CASE over an outcome column and a (possibly NULL) decision column."""
    fixed = [(outcome == value.value, kind.value) for value, kind in FIXED_TYPES.items()]
    return sa.case(
        *fixed,
        (decision == ExitDecision.SELF_RELIANT.value, GraduationType.SELF_RELIANT.value),
        else_=GraduationType.NATURAL.value,
    )


def self_reliance_index(score_total, score_max, places=2):
    """Σ(score × weight) ÷ Σ(max × weight) × 100, rounded half-up (None without a maximum)."""
    return percent(score_total, score_max, places)
