"""How case values and timeline events are named on screen (Indonesian, translated when shown)."""

from flask_babel import lazy_gettext as _l

from casework.cases.models import IntakeChannel, Outcome, Setting, Stage

STAGE_LABELS = {
    Stage.INTAKE: _l("Penjangkauan / penerimaan"),
    Stage.ASSESSMENT: _l("Asesmen"),
    Stage.PLANNING: _l("Rencana intervensi"),
    Stage.INTERVENTION: _l("Intervensi (layanan)"),
    Stage.TERMINATED: _l("Terminasi"),
    Stage.AFTERCARE: _l("Bimbingan lanjut"),
}

CHANNEL_LABELS = {
    IntakeChannel.OUTREACH: _l("Penjangkauan"),
    IntakeChannel.JOINT_RAID: _l("Razia gabungan (Satpol PP)"),
    IntakeChannel.COMPLAINT: _l("Pengaduan / call center"),
    IntakeChannel.WALK_IN: _l("Datang langsung"),
    IntakeChannel.VOLUNTEER_FINDING: _l("Temuan TKSK / PSM"),
    IntakeChannel.EMERGENCY: _l("Kedaruratan"),
    IntakeChannel.REFERRAL_IN: _l("Rujukan dari lembaga lain"),
}

SETTING_LABELS = {
    Setting.FAMILY: _l("Keluarga"),
    Setting.COMMUNITY: _l("Masyarakat"),
    Setting.SHELTER: _l("Rumah singgah / shelter"),
    Setting.PANTI: _l("Panti"),
}

OUTCOME_LABELS = {
    Outcome.REUNIFIED: _l("Kembali ke keluarga"),
    Outcome.RETURNED_TO_ORIGIN: _l("Dipulangkan ke daerah asal"),
    Outcome.REFERRED: _l("Dirujuk dan diambil alih"),
    Outcome.PLACED_IN_PANTI: _l("Ditempatkan di panti / LKS"),
    Outcome.SELF_RELIANT: _l("Mandiri"),
    Outcome.DIED: _l("Meninggal dunia"),
    Outcome.LOST_CONTACT: _l("Pergi / hilang kontak"),
    Outcome.REFUSED: _l("Menolak layanan"),
}

# Timeline lines by event kind; details fill the placeholders where the template gives them.
EVENT_LABELS = {
    "opened": _l("Kasus dibuka"),
    "imported": _l("Kasus diimpor dari catatan lama"),
    "intake_corrected": _l("Data penerimaan diperbaiki"),
    "assigned": _l("Kasus dialihkan ke unit / pekerja sosial lain"),
    "assessment_started": _l("Asesmen dimulai"),
    "assessed": _l("Asesmen selesai"),
    "planned": _l("Rencana intervensi dibuat"),
    "setting_changed": _l("Tempat layanan berubah"),
    "service_delivered": _l("Layanan diberikan"),
    "needs_met": _l("Semua kebutuhan dasar terpenuhi"),
    "note_added": _l("Catatan ditambahkan"),
    "attachment_added": _l("Lampiran ditambahkan"),
    "terminated": _l("Kasus diterminasi"),
    "aftercare_started": _l("Bimbingan lanjut dimulai"),
    "exit_assessed": _l("Asesmen akhir (indeks kemandirian) dicatat"),
    "aftercare_visit": _l("Kunjungan bimbingan lanjut dicatat"),
    "closure_proposed": _l("Terminasi diusulkan"),
    "closure_approved": _l("Terminasi disetujui, kasus ditutup"),
    "closure_rejected": _l("Usulan terminasi ditolak"),
    "case_reopened": _l("Kasus dibuka kembali"),
    "tracing_opened": _l("Penelusuran keluarga dibuka"),
    "tracing_lead": _l("Jejak penelusuran keluarga dicatat"),
    "tracing_closed": _l("Penelusuran keluarga ditutup"),
    "reunified": _l("Klien kembali ke keluarga (reunifikasi)"),
    "followup_visit": _l("Kunjungan lanjutan setelah reunifikasi dicatat"),
    "referral_proposed": _l("Rujukan diusulkan"),
    "referral_approved": _l("Rujukan disetujui supervisor"),
    "referral_rejected": _l("Rujukan ditolak supervisor"),
    "referral_accepted": _l("Rujukan diterima penerima"),
    "referral_declined": _l("Rujukan ditolak penerima"),
    "referral_completed": _l("Rujukan selesai"),
    "transfer_proposed": _l("Pemindahan ke dinas lain diusulkan"),
    "transfer_approved": _l("Pemindahan disetujui supervisor"),
    "transfer_rejected": _l("Pemindahan ditolak supervisor"),
    "transfer_accepted": _l("Kasus diterima dinas lain (diserahkan)"),
    "transfer_declined": _l("Pemindahan tidak diterima dinas tujuan"),
    "return_planned": _l("Pemulangan ke daerah asal direncanakan"),
    "return_departed": _l("Klien berangkat pulang ke daerah asal"),
    "return_arrived": _l("Klien tiba di daerah asal"),
    "report_linked": _l("Laporan temuan / pengaduan dikaitkan dengan kasus"),
    "disaster_linked": _l("Kasus dibuka dari korban bencana"),
    "break_glass": _l("Akses darurat ke kasus rahasia"),
}
