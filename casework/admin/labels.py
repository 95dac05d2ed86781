"""How unit kinds and partner types are named on screen."""

from flask_babel import lazy_gettext as _l

from casework.org.models import PartnerType, UnitKind

UNIT_KIND_LABELS = {
    UnitKind.DIVISION: _l("Bidang / seksi"),
    UnitKind.BRANCH_OFFICE: _l("Suku Dinas (Sudin)"),
    UnitKind.DISTRICT_UNIT: _l("Satuan pelaksana kecamatan"),
    UnitKind.PANTI: _l("Panti sosial"),
    UnitKind.RUMAH_SINGGAH: _l("Rumah singgah"),
    UnitKind.SHELTER: _l("Shelter"),
    UnitKind.PARTNER: _l("Organisasi mitra (tujuan rujukan)"),
}

PARTNER_TYPE_LABELS = {
    PartnerType.HOSPITAL: _l("Rumah sakit"),
    PartnerType.PUSKESMAS: _l("Puskesmas"),
    PartnerType.PSYCHIATRIC_HOSPITAL: _l("Rumah sakit jiwa"),
    PartnerType.CIVIL_REGISTRY: _l("Disdukcapil (kependudukan dan pencatatan sipil)"),
    PartnerType.PANTI: _l("Panti sosial provinsi / kementerian"),
    PartnerType.LKS: _l("LKS (lembaga kesejahteraan sosial)"),
    PartnerType.NARCOTICS_AGENCY: _l("BNN (narkotika)"),
    PartnerType.CHILD_PROTECTION: _l("Perlindungan anak (P2TP2A / UPTD PPA)"),
    PartnerType.SOCIAL_AGENCY: _l("Dinas Sosial daerah lain"),
    PartnerType.POLICE: _l("Kepolisian"),
    PartnerType.PUBLIC_ORDER: _l("Satpol PP"),
    PartnerType.EDUCATION: _l("Dinas pendidikan / sekolah"),
    PartnerType.MIGRANT_WORKER_AGENCY: _l("BP2MI (pekerja migran)"),
    PartnerType.OTHER: _l("Lainnya"),
}
