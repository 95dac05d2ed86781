"""Demo data: a realistic city agency (Dinas Sosial Kota Bekasi) with one user per role.

Idempotent: running it again changes nothing and prints the same logins.
Later features add their own demo records (cases, findings) here.
"""

import sqlalchemy as sa

from casework.auth.models import Role, ScopeKind, User, UserRegionScope
from casework.auth.passwords import hash_password
from casework.extensions import db
from casework.org.models import Agency, GovLevel, PartnerType, Unit, UnitKind

AGENCY_CODE = "DINSOS-3275"
DEMO_PASSWORD = "Demo-Bekasi-2026"  # noqa: S105 (printed for newcomers; demo data only)

KECAMATAN = {
    "32.75.01": "Bekasi Timur",
    "32.75.02": "Bekasi Barat",
    "32.75.03": "Bekasi Utara",
    "32.75.04": "Bekasi Selatan",
    "32.75.05": "Rawalumbu",
    "32.75.06": "Medansatria",
    "32.75.07": "Bantargebang",
    "32.75.08": "Pondokgede",
    "32.75.09": "Jatiasih",
    "32.75.10": "Jatisampurna",
    "32.75.11": "Mustikajaya",
    "32.75.12": "Pondokmelati",
}

# (code, name, kind, extra fields)
UNITS = [
    ("SEKR", "Sekretariat", UnitKind.DIVISION, {}),
    ("REHSOS", "Bidang Rehabilitasi Sosial", UnitKind.DIVISION, {}),
    ("LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial", UnitKind.DIVISION, {}),
    ("DAYASOS", "Bidang Pemberdayaan Sosial", UnitKind.DIVISION, {}),
    ("DATIN", "Subbagian Perencanaan, Data dan Informasi", UnitKind.DIVISION, {}),
    (
        "RS-01",
        "Rumah Singgah Dinas Sosial Kota Bekasi",
        UnitKind.RUMAH_SINGGAH,
        {"capacity": 30, "region_code": "32.75.01.1001", "address": "Jl. Ir. H. Juanda, Bekasi Timur"},
    ),
    (
        "SHELTER-PA",
        "Shelter Perlindungan Perempuan dan Anak",
        UnitKind.SHELTER,
        {"capacity": 12, "region_code": "32.75.04"},
    ),
]

PARTNERS = [
    ("RSUD-CAM", "RSUD dr. Chasbullah Abdulmadjid Kota Bekasi", PartnerType.HOSPITAL, "32.75.01"),
    ("PKM-BJ", "Puskesmas Bekasi Jaya", PartnerType.PUSKESMAS, "32.75.01"),
    ("RSJ-JABAR", "Rumah Sakit Jiwa Provinsi Jawa Barat", PartnerType.PSYCHIATRIC_HOSPITAL, None),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil Kota Bekasi", PartnerType.CIVIL_REGISTRY, "32.75"),
    ("LKS-HARAPAN", "LKS Panti Sosial Harapan Bunda", PartnerType.LKS, "32.75.09"),
    ("BNNK", "BNN Kota Bekasi", PartnerType.NARCOTICS_AGENCY, "32.75"),
    ("UPTD-PPA", "UPTD Perlindungan Perempuan dan Anak Kota Bekasi", PartnerType.CHILD_PROTECTION, "32.75"),
    ("DINSOS-JABAR", "Dinas Sosial Provinsi Jawa Barat", PartnerType.SOCIAL_AGENCY, "32"),
    ("SATPOLPP", "Satpol PP Kota Bekasi", PartnerType.PUBLIC_ORDER, "32.75"),
]

# (username, full name, role, unit code, scope kind, scope codes)
USERS = [
    ("admin", "Rina Kartika", Role.ADMIN, "SEKR", ScopeKind.AGENCY, ()),
    ("supervisor", "Hendra Gunawan", Role.SUPERVISOR, "REHSOS", ScopeKind.AGENCY, ()),
    ("peksos", "Siti Nurhaliza", Role.CASEWORKER, "REHSOS", ScopeKind.DISTRICTS, ("32.75.01", "32.75.05")),
    ("tksk", "Ujang Suryana", Role.VOLUNTEER, "KEC-07", ScopeKind.DISTRICTS, ("32.75.07",)),
    ("data", "Dewi Lestari", Role.DATA_OFFICER, "DATIN", ScopeKind.AGENCY, ()),
    ("kadis", "Bambang Susilo", Role.VIEWER, "SEKR", ScopeKind.AGENCY, ()),
]


def load_demo_data():
    """Creates the demo agency, units, partners and users when missing; returns the demo logins."""
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == AGENCY_CODE))
    if agency is None:
        agency = _create_agency()
    return [
        {"username": username, "password": DEMO_PASSWORD, "role": role.value, "full_name": full_name}
        for username, full_name, role, *_rest in USERS
    ]


def _create_agency():
    """The agency with its units, partners and one user per role."""
    agency = Agency(
        code=AGENCY_CODE,
        name="Dinas Sosial Kota Bekasi",
        level=GovLevel.CITY,
        region_code="32.75",
        address="Jl. Ir. H. Juanda No. 100, Bekasi",
        phone="(021) 88345678",
    )
    db.session.add(agency)
    units = {code: Unit(agency=agency, code=code, name=name, kind=kind, **extra) for code, name, kind, extra in UNITS}
    for region_code, name in KECAMATAN.items():
        code = f"KEC-{region_code[-2:]}"
        units[code] = Unit(
            agency=agency,
            code=code,
            name=f"Satuan Pelaksana Kecamatan {name}",
            kind=UnitKind.DISTRICT_UNIT,
            region_code=region_code,
            parent=units["REHSOS"],
        )
    for code, name, partner_type, region_code in PARTNERS:
        units[code] = Unit(
            agency=agency,
            code=code,
            name=name,
            kind=UnitKind.PARTNER,
            partner_type=partner_type,
            region_code=region_code,
        )
    db.session.add_all(units.values())
    password_hash = hash_password(DEMO_PASSWORD)
    for username, full_name, role, unit_code, scope_kind, codes in USERS:
        db.session.add(
            User(
                username=username,
                full_name=full_name,
                role=role,
                agency=agency,
                unit=units[unit_code],
                scope_kind=scope_kind,
                password_hash=password_hash,
                region_scope=[UserRegionScope(region_code=code) for code in codes],
            )
        )
    db.session.flush()
    return agency
