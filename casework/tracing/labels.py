"""How tracing and reunification values are named on screen (Indonesian, translated when shown)."""

from flask_babel import lazy_gettext as _l

from casework.tracing.models import Kinship, LeadMethod, TracingStatus

KINSHIP_LABELS = {
    Kinship.FATHER: _l("Ayah"),
    Kinship.MOTHER: _l("Ibu"),
    Kinship.SPOUSE: _l("Suami / istri"),
    Kinship.CHILD: _l("Anak"),
    Kinship.SIBLING: _l("Saudara kandung"),
    Kinship.GRANDPARENT: _l("Kakek / nenek"),
    Kinship.UNCLE_AUNT: _l("Paman / bibi"),
    Kinship.OTHER_RELATIVE: _l("Kerabat lain"),
    Kinship.GUARDIAN: _l("Wali"),
}

STATUS_LABELS = {
    TracingStatus.OPEN: _l("Sedang ditelusuri"),
    TracingStatus.FOUND: _l("Ditemukan"),
    TracingStatus.NOT_FOUND: _l("Tidak ditemukan"),
}

METHOD_LABELS = {
    LeadMethod.VISIT: _l("Kunjungan"),
    LeadMethod.PHONE: _l("Telepon"),
    LeadMethod.VILLAGE_HEAD_LETTER: _l("Surat ke kepala desa / lurah"),
    LeadMethod.SOCIAL_MEDIA: _l("Media sosial"),
    LeadMethod.OTHER_AGENCY: _l("Lembaga lain"),
    LeadMethod.OTHER: _l("Lainnya"),
}
