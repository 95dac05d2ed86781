"""Duplicate matching on Indonesian names: normalisation, ranking, and token blocking."""

from datetime import date

import pytest

from casework.clients import matching
from casework.clients.matching import Probe, candidate_ids, likely_duplicates, name_tokens, normalise_name
from casework.clients.models import Sex


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
