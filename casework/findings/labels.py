"""How finding and complaint values are named on screen (Indonesian, translated when shown)."""

from flask_babel import lazy_gettext as _l

from casework.findings.models import CloseReason, ComplaintSource, ReportKind, ReportStatus, ReportUrgency

KIND_LABELS = {
    ReportKind.FINDING: _l("Laporan temuan"),
    ReportKind.COMPLAINT: _l("Pengaduan"),
}

SOURCE_LABELS = {
    ComplaintSource.CALL_CENTRE: _l("Telepon / call center"),
    ComplaintSource.WALK_IN: _l("Datang langsung"),
    ComplaintSource.MESSAGE: _l("Pesan (WhatsApp, SMS, surel, media sosial)"),
    ComplaintSource.LETTER: _l("Surat"),
}

URGENCY_LABELS = {
    ReportUrgency.EMERGENCY: _l("Darurat (perlu didatangi hari ini)"),
    ReportUrgency.SOON: _l("Segera (dalam beberapa hari)"),
    ReportUrgency.ROUTINE: _l("Biasa"),
}

# What the reporter is told: where their report stands.
STATUS_LABELS = {
    ReportStatus.RECEIVED: _l("Diterima"),
    ReportStatus.UNDER_REVIEW: _l("Sedang ditinjau"),
    ReportStatus.CASE_OPENED: _l("Kasus dibuka"),
    ReportStatus.CASE_ATTACHED: _l("Ditangani dalam kasus yang sudah ada"),
    ReportStatus.FORWARDED: _l("Diteruskan ke lembaga lain"),
    ReportStatus.CLOSED: _l("Ditutup"),
}

CLOSE_REASON_LABELS = {
    CloseReason.NOT_FOUND: _l("Orangnya tidak ditemukan di tempat"),
    CloseReason.NOT_PPKS: _l("Bukan PPKS"),
    CloseReason.DUPLICATE: _l("Sudah dilaporkan sebelumnya (ganda)"),
    CloseReason.OTHER: _l("Alasan lain"),
}
