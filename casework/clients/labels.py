"""Indonesian labels for client values, translated when shown."""

from flask_babel import lazy_gettext as _l

from casework.clients.models import Sex

SEX_LABELS = {Sex.MALE: _l("Laki-laki"), Sex.FEMALE: _l("Perempuan")}

DOCUMENT_LABELS = {
    "has_ktp": _l("KTP"),
    "has_kk": _l("Kartu Keluarga (KK)"),
    "has_akta": _l("Akta kelahiran"),
    "has_kia": _l("Kartu Identitas Anak (KIA)"),
}
