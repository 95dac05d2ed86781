"""Region names, search by word prefix, and region look-up with precise refusals."""

import pytest

from casework.core.errors import ValidationFailed
from casework.reference.services import get_region, normalise_region_name, require_region, search_regions


def codes(regions):
    """The codes of ``regions``, in order."""
    return [region.code for region in regions]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Pulau-Pulau Batu", "pulau pulau batu"),
        ("Kota Administrasi Jakarta Barat", "kota administrasi jakarta barat"),
        ("BTS. Ulu", "bts ulu"),
        ("Ma\u2019rang", "ma'rang"),
        ("Tiro/Truseb", "tiro truseb"),
        ("  Na IX-X ", "na ix x"),
        ("Gunung Café", "gunung cafe"),
        ("'quoted'", "quoted"),
    ],
)
def test_normalise_region_name(raw, normalised):
    assert normalise_region_name(raw) == normalised


def test_prefix_finds_regions_larger_ones_first(app):
    found = search_regions("bekas")
    assert codes(found)[:2] == ["32.16", "32.75"]
    assert {r.level for r in found[2:6]} == {3}
    assert all("bekas" in normalise_region_name(r.name) for r in found)


def test_exact_name_comes_first_and_regency_prefix_counts_as_exact(app):
    assert codes(search_regions("kota bekasi")) == ["32.75"]
    jakarta_barat = search_regions("jakarta barat")
    assert jakarta_barat[0].name == "Kota Administrasi Jakarta Barat"
    # Villages called exactly "Bogor" rank before the district "Bogor Barat".
    bogor = search_regions("Bogor")
    assert codes(bogor)[:2] == ["32.01", "32.71"]
    exact_villages = [r for r in bogor if r.name == "Bogor"]
    assert exact_villages and bogor.index(exact_villages[-1]) < next(
        i for i, r in enumerate(bogor) if r.name == "Bogor Barat"
    )


def test_multi_word_query_matches_each_word_as_a_prefix_in_any_order(app):
    assert codes(search_regions("bekasi ut")) == ["32.75.03"]
    assert codes(search_regions("ut bekasi")) == ["32.75.03"]
    assert search_regions("bekasi zzz") == []


def test_within_and_level_restrict_the_results(app):
    assert codes(search_regions("durenjaya", level=4, within="3275")) == ["32.75.01.1003"]
    assert search_regions("durenjaya", within="31") == []
    in_bekasi_timur = search_regions("ar", level=4, within="32.75.01")
    assert codes(in_bekasi_timur) == ["32.75.01.1004"]
    districts = search_regions("bekasi", level=3)
    assert {r.level for r in districts} == {3} and len(districts) == 4
    assert codes(search_regions("kota bekasi", within="32.75")) == ["32.75"]


def test_limit_is_respected_and_capped(app):
    assert len(search_regions("su", limit=5)) == 5
    assert len(search_regions("su", limit=500)) == 50


@pytest.mark.parametrize("query", ["", "a", "  b ", "!!", "a b c"])
def test_too_short_query_is_refused_in_indonesian(app, request_ctx, query):
    with pytest.raises(ValidationFailed) as refused:
        search_regions(query)
    assert refused.value.fields == {"q": ["Ketik paling sedikit 2 huruf nama wilayah."]}


def test_get_region_takes_dotted_and_undotted_codes(app):
    assert get_region("3275").name == "Kota Bekasi"
    assert get_region("32.75.01.1001").name == "Bekasijaya"
    assert get_region("3275011001").code == "32.75.01.1001"
    assert get_region("32.99") is None
    assert get_region("abc") is None
    assert get_region(None) is None


def test_require_region_returns_the_region_of_an_allowed_level(app):
    assert require_region("327501", levels={3}).name == "Bekasi Timur"


@pytest.mark.parametrize(
    ("code", "levels", "field", "message"),
    [
        ("32.99", None, "region_code", "Kode wilayah 32.99 tidak dikenal."),
        ("3299", None, "region_code", "Kode wilayah 32.99 tidak dikenal."),
        ("xyz", None, "region_code", "Kode wilayah xyz tidak dikenal."),
        ("", None, "region_code", "Kode wilayah wajib diisi."),
        ("32.75", {3}, "district_code", "Kode wilayah 32.75 harus kecamatan."),
        ("32", {3, 4}, "region_code", "Kode wilayah 32 harus kecamatan atau desa/kelurahan."),
    ],
)
def test_require_region_refuses_precisely(app, request_ctx, code, levels, field, message):
    with pytest.raises(ValidationFailed) as refused:
        require_region(code, levels=levels, field=field)
    assert refused.value.fields == {field: [message]}
    assert refused.value.message == message


def test_require_region_refuses_a_retired_code(app, request_ctx):
    get_region("32.75.01.1004").retired = True
    with pytest.raises(ValidationFailed) as refused:
        require_region("32.75.01.1004")
    assert "sudah tidak berlaku" in refused.value.message
    assert "Kepmendagri 300.2.2-2138/2025" in refused.value.message
