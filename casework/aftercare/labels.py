"""What the aftercare pages call decisions, graduation types and visit results."""

from flask_babel import lazy_gettext as _l

from casework.aftercare.models import ExitDecision, GraduationType, VisitResult

DECISION_LABELS = {
    ExitDecision.SELF_RELIANT: _l("Mandiri"),
    ExitDecision.NOT_SELF_RELIANT: _l("Belum mandiri"),
}
GRADUATION_LABELS = {
    GraduationType.SELF_RELIANT: _l("Mandiri"),
    GraduationType.NATURAL: _l("Alamiah"),
    GraduationType.REMOVED: _l("Paksa (dikeluarkan)"),
}
RESULT_LABELS = {
    VisitResult.STABLE: _l("Stabil / tetap mandiri"),
    VisitResult.FALLEN_BACK: _l("Kembali bermasalah"),
    VisitResult.NOT_MET: _l("Tidak bertemu klien"),
}
