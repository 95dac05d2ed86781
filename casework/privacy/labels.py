"""Indonesian labels of the consent purposes and methods."""

from flask_babel import lazy_gettext as _l

from casework.privacy.models import ConsentMethod, ConsentPurpose

PURPOSE_LABELS = {
    ConsentPurpose.SERVICES: _l("Menerima layanan"),
    ConsentPurpose.REFERRAL: _l("Dirujuk ke pihak lain"),
    ConsentPurpose.PHOTOS: _l("Difoto"),
}
METHOD_LABELS = {
    ConsentMethod.SIGNED_FORM: _l("Formulir bertanda tangan"),
    ConsentMethod.VERBAL_WITNESS: _l("Lisan dengan saksi"),
    ConsentMethod.GUARDIAN: _l("Oleh wali (anak)"),
}
# Shown where an answer is missing (no current "yes").
MISSING_LABELS = {
    ConsentPurpose.SERVICES: _l("Belum ada persetujuan klien untuk menerima layanan."),
    ConsentPurpose.REFERRAL: _l("Belum ada persetujuan klien untuk dirujuk."),
    ConsentPurpose.PHOTOS: _l("Belum ada persetujuan klien untuk difoto."),
}
