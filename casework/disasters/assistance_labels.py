"""Indonesian labels of the assistance kinds, for pages and exports."""

from flask_babel import lazy_gettext as _l

from casework.disasters.models import AssistanceKind

KIND_LABELS = {
    AssistanceKind.MEALS: _l("Makan"),
    AssistanceKind.CLOTHING: _l("Sandang"),
    AssistanceKind.SHELTER: _l("Tempat pengungsian"),
    AssistanceKind.SPECIAL_HANDLING: _l("Penanganan khusus kelompok rentan"),
    AssistanceKind.PSYCHOSOCIAL: _l("Dukungan psikososial"),
    AssistanceKind.OTHER: _l("Lainnya (katalog)"),
}

# Short column heads for the situation page's table per day (a 768 px tablet).
SHORT_LABELS = {
    AssistanceKind.CLOTHING: _l("Sandang"),
    AssistanceKind.SHELTER: _l("Hunian"),
    AssistanceKind.SPECIAL_HANDLING: _l("Rentan"),
    AssistanceKind.PSYCHOSOCIAL: _l("Psikososial"),
    AssistanceKind.OTHER: _l("Lainnya"),
}
