"""Demo data: a realistic city agency (Dinas Sosial Kota Bekasi) with one user per role, clients and cases.

Idempotent: running it again changes nothing and prints the same logins.
Later features add their own demo records here (cases: ``casework.cases.demo``).
"""

import uuid
from datetime import date

import sqlalchemy as sa

from casework.auth.models import Role, ScopeKind, User, UserRegionScope
from casework.auth.passwords import hash_password
from casework.cases.demo import load_demo_cases
from casework.clients.identity import compose_nik
from casework.clients.models import Sex
from casework.clients.services import register_client
from casework.extensions import db
from casework.findings.demo import load_demo_findings
from casework.org.models import Agency, GovLevel, PartnerType, Unit, UnitKind
from casework.reference.models import Category
from casework.referrals.demo import load_demo_referrals
from casework.tracing.demo import load_demo_tracing
from casework.transfers.demo import load_demo_returns

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
    load_demo_cases(agency, _register_clients(agency))
    load_demo_tracing(agency)
    load_demo_returns(agency)
    load_demo_referrals(agency)
    load_demo_findings(agency)
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
    # The rehabilitation division runs the shelters: its supervisors reach their cases (casework.access.scope).
    for code in ("RS-01", "SHELTER-PA"):
        units[code].parent = units["REHSOS"]
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


# Demo clients get fixed UUIDs, so registering them again finds the first ones (idempotent).
_DEMO_CLIENTS = uuid.UUID("6f1d3c2a-8b4e-4f5a-9c7d-1e2f3a4b5c6d")
M, F = Sex.MALE, Sex.FEMALE
# (full name, aliases, sex, birth date or estimated year, NIK district (None: no NIK), mother's name,
#  domicile, origin, category slugs, documents held)
CLIENTS = [
    ("Muhammad Rizki", "Iki", M, date(2011, 3, 14), None, "Sumiati", "32.75.01.1001", "33.01", ["anak-jalanan"], ()),
    (
        "Moh. Rizky Pratama",
        None,
        M,
        date(2009, 7, 2),
        "32.75.05",
        "Wartini",
        "32.75.05.1001",
        None,
        ["anak-jalanan"],
        ("has_kk", "has_akta"),
    ),
    (
        "Siti Nurhaliza",
        None,
        F,
        date(1958, 1, 20),
        "32.75.01",
        "Aminah",
        "32.75.01.1001",
        None,
        ["lanjut-usia-telantar"],
        ("has_ktp", "has_kk"),
    ),
    (
        "Sutrisno",
        "Pak Tris",
        M,
        1950,
        None,
        None,
        "32.75.02.1001",
        "33.01.01",
        ["lanjut-usia-telantar", "gelandangan"],
        (),
    ),
    ("Soetrisno", None, M, 1953, None, None, None, "35.78.01", ["gelandangan"], ()),
    ("Wagiman", None, M, 1947, None, "Sarinah", "32.75.03.1001", None, ["lanjut-usia-telantar"], ()),
    (
        "Sri Wahyuni",
        None,
        F,
        date(1985, 5, 5),
        "32.75.03",
        "Rukmini",
        "32.75.03.1001",
        None,
        ["perempuan-rawan-sosial-ekonomi"],
        ("has_ktp", "has_kk"),
    ),
    ("Dedi Kurniawan", None, M, date(1990, 11, 30), "32.75.02", "Yati", "32.75.02.1001", None, ["odgj"], ("has_ktp",)),
    ("Ujang", None, M, 1979, None, None, None, "32.01.01", ["odgj", "gelandangan"], ()),
    (
        "Asep Saepudin",
        None,
        M,
        date(1988, 2, 17),
        "32.01.01",
        "Entin",
        "32.75.07",
        "32.01.01",
        ["pemulung"],
        ("has_ktp", "has_kk"),
    ),
    ("Nur Aisyah", "Ica", F, date(2014, 9, 9), None, "Siti Maryam", "32.75.01.1001", None, ["anak-telantar"], ()),
    (
        "Rahmat Hidayat",
        None,
        M,
        date(1975, 6, 1),
        "32.75.04",
        "Kokom",
        "32.75.04",
        None,
        ["penyandang-disabilitas"],
        ("has_ktp", "has_kk", "has_akta"),
    ),
    ("Yohanes Manurung", None, M, 1968, None, None, None, "12.71", ["pengemis"], ()),
    ("Tukiyem", None, F, 1945, None, None, "32.75.05.1001", "33.01", ["lanjut-usia-telantar"], ()),
    (
        "Agus Salim",
        None,
        M,
        date(1982, 8, 17),
        "31.75.01",
        "Halimah",
        "32.75.06",
        "31.75.01",
        ["pengemis"],
        ("has_ktp",),
    ),
    (
        "Dewi Sartika",
        None,
        F,
        date(1999, 4, 21),
        "32.75.09",
        "Eti",
        "32.75.09",
        None,
        ["korban-tindak-kekerasan"],
        ("has_ktp", "has_kk"),
    ),
    ("Budi Santoso", None, M, date(2008, 12, 25), None, "Lastri", "32.75.02.1001", "36.03.01", ["anak-jalanan"], ()),
    ("Joko", "Jack", M, 2010, None, None, None, None, ["anak-jalanan"], ()),
    ("Mulyadi", None, M, 1960, None, None, "32.75.07", None, ["gelandangan", "pengemis"], ()),
    ("Ratna Sari", None, F, date(1993, 10, 10), "32.75.08", "Nani", "32.75.08", None, ["odgj"], ("has_ktp", "has_kk")),
    (
        "Slamet Riyadi",
        None,
        M,
        date(1955, 3, 3),
        "33.01.01",
        "Painem",
        "32.75.01",
        "33.01.01",
        ["lanjut-usia-telantar"],
        ("has_ktp",),
    ),
    (
        "Andi Saputra",
        None,
        M,
        date(2012, 1, 15),
        None,
        "Wati",
        "32.75.11",
        None,
        ["anak-dengan-kedisabilitasan"],
        ("has_akta",),
    ),
    (
        "Fitri Handayani",
        None,
        F,
        date(2016, 6, 6),
        None,
        "Fitriani",
        "32.75.12",
        None,
        ["anak-balita-telantar", "anak-telantar"],
        ("has_akta", "has_kia"),
    ),
    ("Hendro", None, M, 1972, None, None, None, "35.78.01", ["odgj"], ()),
    (
        "Suparman",
        None,
        M,
        date(1965, 9, 9),
        "32.75.10",
        "Sukiyah",
        "32.75.10",
        None,
        ["penyandang-disabilitas"],
        ("has_ktp", "has_kk"),
    ),
    ("Yanti", None, F, 1980, None, None, "32.75.06", None, ["pengemis"], ()),
    (
        "Rudi Hartono",
        None,
        M,
        date(1987, 7, 7),
        "32.75.11",
        "Sumarni",
        "32.75.11",
        None,
        ["korban-penyalahgunaan-napza"],
        ("has_ktp",),
    ),
    (
        "Maria Ulfa",
        None,
        F,
        date(2001, 2, 2),
        None,
        "Juariah",
        "32.75.03",
        None,
        ["korban-perdagangan-orang"],
        ("has_akta",),
    ),
    (
        "Iwan Setiawan",
        None,
        M,
        date(1978, 12, 1),
        "32.75.12",
        "Ijah",
        "32.75.12",
        None,
        ["fakir-miskin"],
        ("has_ktp", "has_kk"),
    ),
    ("Nenek Salmah", "Mak Salmah", F, 1940, None, None, "32.75.09", None, ["lanjut-usia-telantar"], ()),
    (
        "Ahmad Fauzi",
        None,
        M,
        date(2007, 4, 4),
        None,
        "Rohimah",
        "32.75.01.1001",
        "32.16.01",
        ["anak-jalanan"],
        ("has_akta",),
    ),
    ("Kartini", None, F, 1962, None, None, None, "33.01", ["gelandangan"], ()),
    (
        "Bambang Sugiarto",
        None,
        M,
        date(1970, 8, 8),
        "32.75.05",
        "Tumini",
        "32.75.05",
        None,
        ["bekas-warga-binaan-lapas"],
        ("has_ktp", "has_kk"),
    ),
    ("Lina Marlina", None, F, date(1996, 11, 11), "32.75.02", "Imas", "32.75.02", None, ["odgj"], ("has_ktp",)),
    ("Darsono", None, M, 1958, None, None, "32.75.07", "33.01.01", ["pemulung"], ()),
    (
        "Putri Ayu",
        None,
        F,
        date(2013, 3, 8),
        None,
        "Sri",
        "32.75.04",
        None,
        ["anak-korban-tindak-kekerasan"],
        ("has_akta",),
    ),
    (
        "Eko Prasetyo",
        None,
        M,
        date(1984, 1, 1),
        "32.75.09",
        "Suminah",
        "32.75.09",
        None,
        ["penyandang-disabilitas"],
        ("has_ktp", "has_kk", "has_akta"),
    ),
    ("Warsih", None, F, 1955, None, None, None, None, ["odgj", "orang-terlantar"], ()),
    ("Tono", None, M, 2011, None, None, None, "36.03.01", ["anak-jalanan"], ()),
    (
        "Saripah binti Abdullah",
        None,
        F,
        date(1990, 5, 19),
        "32.75.10",
        "Aisyah",
        "32.75.10",
        None,
        ["pekerja-migran-bermasalah-sosial"],
        ("has_ktp",),
    ),
]


def _register_clients(agency):
    """Registers the demo clients through the registry service (those already there are found by UUID); returns them."""
    clients = []
    actor = db.session.scalar(sa.select(User).where(User.agency_id == agency.id, User.username == "peksos"))
    categories = dict(db.session.execute(sa.select(Category.slug, Category.id)).all())
    for serial, (name, aliases, sex, born, nik_district, mother, domicile, origin, slugs, documents) in enumerate(
        CLIENTS, start=1
    ):
        exact = isinstance(born, date)
        data = {
            "full_name": name,
            "aliases": aliases,
            "sex": sex,
            "birth_date": born if exact else None,
            "birth_year": None if exact else born,
            "birth_year_estimated": not exact,
            "mother_name": mother,
            "nik": compose_nik(nik_district, born, sex, serial) if nik_district else None,
            "domicile_region_code": domicile,
            "origin_region_code": origin,
            "categories": [{"category_id": categories[slug], "since": date(2026, 1, 5)} for slug in slugs],
            **dict.fromkeys(documents, True),
        }
        # Near-duplicates (Muhammad Rizki / Moh. Rizky) are on purpose: confirmed as different people.
        client, _created = register_client(
            agency, actor, data, uuid=uuid.uuid5(_DEMO_CLIENTS, str(serial)), confirm_new=True
        )
        clients.append(client)
    return clients
