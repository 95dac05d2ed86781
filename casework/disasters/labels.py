"""How disaster values are named on screen (Indonesian, translated when shown)."""

from flask_babel import lazy_gettext as _l

from casework.disasters.models import DisasterKind, EventStatus, Relation

KIND_LABELS = {
    DisasterKind.FLOOD: _l("Banjir"),
    DisasterKind.TIDAL_FLOOD: _l("Banjir rob"),
    DisasterKind.FIRE: _l("Kebakaran"),
    DisasterKind.HOUSE_COLLAPSE: _l("Rumah roboh"),
    DisasterKind.WHIRLWIND: _l("Angin puting beliung"),
    DisasterKind.LANDSLIDE: _l("Tanah longsor"),
    DisasterKind.EARTHQUAKE: _l("Gempa bumi"),
    DisasterKind.OTHER: _l("Bencana lain"),
}

STATUS_LABELS = {
    EventStatus.EMERGENCY: _l("Tanggap darurat"),
    EventStatus.RECOVERY: _l("Pemulihan"),
    EventStatus.CLOSED: _l("Ditutup"),
}

RELATION_LABELS = {
    Relation.HEAD: _l("Kepala keluarga"),
    Relation.SPOUSE: _l("Istri/suami"),
    Relation.CHILD: _l("Anak"),
    Relation.PARENT: _l("Orang tua"),
    Relation.OTHER_RELATIVE: _l("Keluarga lain"),
    Relation.OTHER: _l("Lainnya"),
}

VULNERABLE_LABELS = {
    "elderly": _l("Lansia"),
    "pregnant_or_nursing": _l("Hamil/menyusui"),
    "under_five": _l("Balita"),
    "disability": _l("Disabilitas"),
}
