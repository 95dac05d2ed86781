"""How referral values are named on screen (Indonesian, translated when shown)."""

from flask_babel import lazy_gettext as _l

from casework.referrals.models import DestinationKind, NoConsentReason, ReferralStatus, Urgency

DESTINATION_LABELS = {
    DestinationKind.UNIT: _l("Unit dinas sendiri"),
    DestinationKind.PARTNER: _l("Mitra (rumah sakit, Puskesmas, LKS, dan lain-lain)"),
    DestinationKind.AGENCY: _l("Dinas Sosial daerah lain"),
}

URGENCY_LABELS = {
    Urgency.ROUTINE: _l("Biasa"),
    Urgency.URGENT: _l("Segera"),
    Urgency.EMERGENCY: _l("Darurat"),
}

NO_CONSENT_LABELS = {
    NoConsentReason.CHILD: _l("Klien anak (persetujuan wali belum ada)"),
    NoConsentReason.NO_CAPACITY: _l("Klien tidak cakap memberi persetujuan"),
    NoConsentReason.UNCONSCIOUS: _l("Klien tidak sadar / keadaan darurat"),
    NoConsentReason.OTHER: _l("Alasan lain"),
}

STATUS_LABELS = {
    ReferralStatus.PROPOSED: _l("menunggu persetujuan"),
    ReferralStatus.APPROVED: _l("disetujui, menunggu jawaban penerima"),
    ReferralStatus.REJECTED: _l("ditolak supervisor"),
    ReferralStatus.ACCEPTED: _l("diterima penerima"),
    ReferralStatus.DECLINED: _l("ditolak penerima"),
    ReferralStatus.COMPLETED: _l("selesai"),
}
