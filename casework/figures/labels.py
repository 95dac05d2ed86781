"""Indonesian labels of the indicator fields, for the figures pages."""

from flask_babel import lazy_gettext as _l

from casework.figures.models import DenominatorKind, PeriodRule

DENOMINATOR_LABELS = {
    DenominatorKind.TARGET: _l("Target"),
    DenominatorKind.MEASURE: _l("Penyebut"),
    DenominatorKind.POPULATION: _l("Populasi terdaftar"),
}
PERIOD_RULE_LABELS = {
    PeriodRule.CUMULATIVE: _l("Kumulatif sejak 1 Januari"),
    PeriodRule.PER_PERIOD: _l("Per periode"),
}
