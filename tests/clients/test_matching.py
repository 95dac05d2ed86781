"""Duplicate matching on Indonesian names: normalisation, ranking, and token blocking."""

from datetime import date

import pytest

from casework.clients import matching
from casework.clients.matching import (
    Prefix,
    Probe,
    candidate_ids,
    likely_duplicates,
    name_tokens,
    normalise_name,
    search_names,
    search_terms,
)
from casework.clients.models import Sex
from casework.extensions import db


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Muhammad Rizki", "muhamad rizki"),
        ("Moh. Rizky", "muhamad rizki"),
        ("H. Moch. Rizky bin Achmad, S.Sos", "muhamad rizki ahmad"),
        ("Soetrisno", "sutrisno"),
        ("Djoko Soenjoto", "joko sunyoto"),
        ("Tjahjadi", "cahjadi"),
        ("Sjarifah", "syarifah"),
        ("Choirul Anam", "khoirul anam"),
        ("Hj. St. Nurhalizah", "siti nurhalizah"),
        ("  ", ""),
    ],
)
def test_names_are_normalised_for_comparison(written, normalised):
    assert normalise_name(written) == normalised


def test_spelling_variants_missing_words_and_single_names_rank_above_unrelated_names(app, agency, new_client):
    rizki = new_client(full_name="Muhammad Rizki Pratama", sex="male", birth_year=2011, birth_year_estimated=True)
    single = new_client(full_name="Rizki", sex="male")
    new_client(full_name="Rizki Amelia", sex="female", birth_date="1995-01-01")
    new_client(full_name="Budi Santoso")
    matches = likely_duplicates(
        agency.id, Probe(full_name="Moh. Rizky", sex=Sex.MALE, birth_year=2012, birth_year_estimated=True)
    )
    assert [match.client for match in matches] == [rizki, single]
    assert matches[0].reasons == ["nama mirip 95", "tahun lahir mirip (perkiraan ±2)"]
    assert matches[0].score > matches[1].score >= matching.LIKELY_SCORE


def test_birth_date_sex_and_mother_raise_or_lower_the_score(app, agency, new_client):
    same = new_client(full_name="Siti Aminah", sex="female", birth_date="1980-02-02", mother_name="Sarinah")
    other = new_client(full_name="Siti Aminah", sex="female", birth_date="1961-07-07", mother_name="Ponirah")
    probe = Probe(full_name="Siti Aminah", sex=Sex.FEMALE, birth_date=date(1980, 2, 2), mother_name="Sarinah")
    [match] = likely_duplicates(agency.id, probe)
    assert match.client == same
    assert (match.score, match.reasons) == (95, ["nama mirip 100", "tanggal lahir sama", "nama ibu sama"])
    assert matching.score(probe, other)[0] < matching.LIKELY_SCORE


def test_candidates_are_only_clients_sharing_a_name_word(app, agency, new_client, make, caseworker):
    sharing = new_client(full_name="Agus Salim")
    alias = new_client(full_name="Bagus", aliases="Salim Kecil")
    new_client(full_name="Slamet Riyadi")
    assert sorted(candidate_ids(agency.id, name_tokens("salim"))) == sorted([sharing.id, alias.id])
    assert candidate_ids(agency.id, set()) == []
    assert candidate_ids(make.agency().id, name_tokens("salim")) == []


def test_only_blocked_candidates_are_scored(app, agency, new_client, monkeypatch):
    new_client(full_name="Agus Salim")
    for n in range(5):
        new_client(full_name=f"Warga Lain {n}")
    scored = []
    original = matching.score
    monkeypatch.setattr(
        matching, "score", lambda probe, client: scored.append(client.full_name) or original(probe, client)
    )
    likely_duplicates(agency.id, Probe(full_name="Agus Salim"))
    assert scored == ["Agus Salim"]


def test_common_words_are_capped_while_every_holder_of_a_rare_word_stays(app, agency, new_client, monkeypatch):
    rare = new_client(full_name="Siti Kusnadi")
    newer = [new_client(full_name=f"Siti {name}") for name in ("Aminah", "Badriah", "Cucu", "Dariah", "Euis")]
    monkeypatch.setattr(matching, "MAX_POOL", 3)
    # The oldest holder of "siti" is found by its rare word; the rest of the budget goes to the newest.
    assert candidate_ids(agency.id, name_tokens("Siti Kusnadi")) == [rare.id, newer[-1].id, newer[-2].id]
    assert candidate_ids(agency.id, name_tokens("Siti")) == [client.id for client in reversed(newer[-3:])]


def test_search_reads_the_last_word_as_the_start_of_a_longer_one(app, agency, new_client):
    aminah = new_client(full_name="Siti Aminah")
    exact = new_client(full_name="Siti Amin")
    new_client(full_name="Siti Rahayu")
    # The word itself first, then its continuations; a name sharing only "siti" scores below the floor.
    assert search_names(agency.id, "Siti Amin") == [exact.id, aminah.id]
    assert search_terms("Siti Amin") == {"siti", "amin", Prefix("amin")}
    # Two letters would start too many words: read as a whole word only.
    assert search_terms("Siti Am") == {"siti", "am"}


def test_search_ranks_the_whole_name_above_one_with_an_extra_word(app, agency, new_client):
    longer = new_client(full_name="Agus Salim Hidayat")
    exact = new_client(full_name="Agus Salim")
    new_client(full_name="Agus Santoso")
    assert search_names(agency.id, "agus salim")[:2] == [exact.id, longer.id]


@pytest.fixture
def older_namesake(agency, new_client, monkeypatch):
    """An "Agus Hidayat" registered before newer holders of each of its words, which alone fill a tiny pool."""
    target = new_client(full_name="Agus Hidayat")
    for surname in ("Lubis", "Siregar", "Tarigan"):
        new_client(full_name=f"Agus Santoso {surname}")
        new_client(full_name=f"Budi Hidayat {surname}")
    monkeypatch.setattr(matching, "SEARCH_POOL", 2)
    return target


def test_search_finds_the_holder_of_two_common_words_beyond_their_newest(app, agency, older_namesake, monkeypatch):
    assert search_names(agency.id, "Agus Hidayat")[0] == older_namesake.id
    # A mistyped word leaves the others to find them.
    assert search_names(agency.id, "Agus Hidayatt")[0] == older_namesake.id
    # Without checking holders of one word for the other, the pool holds only the newest of each.
    monkeypatch.setattr(matching, "SEARCH_SCANNED", 0)
    assert older_namesake.id not in search_names(agency.id, "Agus Hidayat")


def test_search_leaves_merged_clients_out(app, agency, new_client, caseworker):
    survivor = new_client(full_name="Wagiman Sutrisno")
    merged = new_client(full_name="Wagiman Soetrisno")
    merged.merged_into_id = survivor.id
    db.session.commit()
    assert search_names(agency.id, "wagiman") == [survivor.id]
