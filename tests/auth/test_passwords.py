"""The password policy and password changes."""

import pytest

from casework.auth.passwords import hash_password, password_problems, verify_password


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("pendek1", "minimal 10 karakter"),
        ("password123", "terlalu mudah ditebak"),
        ("aaaaaaaaaaaa", "terlalu mudah ditebak"),
        ("hanyahurufsaja", "huruf dan angka atau simbol"),
        ("12345678901234", "huruf dan angka atau simbol"),
        ("budi.santoso-2026", "tidak boleh memuat nama pengguna"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(app, password, expected):
    problems = password_problems(password, "budi.santoso")
    assert any(expected in problem for problem in problems), problems


def test_a_good_password_passes(app):
    assert password_problems("Sungai-Citarum-88", "budi") == []


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password("Sungai-Citarum-88")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "Sungai-Citarum-88")
    assert not verify_password(hashed, "sungai-citarum-88")
    assert not verify_password(None, "Sungai-Citarum-88")


def test_changing_ones_password(client, make, login):
    user = login(make.user())
    response = client.post(
        "/account/password",
        data={"current": "Rahasia-Test-2026", "password": "Kali-Bekasi-2027", "confirm": "Kali-Bekasi-2027"},
    )
    assert response.status_code == 302
    assert verify_password(user.password_hash, "Kali-Bekasi-2027")
    # The session that changed the password stays signed in.
    assert client.get("/account").status_code == 200


def test_weak_new_password_is_refused_and_nothing_changes(client, make, login):
    user = login(make.user())
    before = user.password_hash
    response = client.post(
        "/account/password", data={"current": "Rahasia-Test-2026", "password": "abc", "confirm": "abc"}
    )
    assert response.status_code == 422
    assert "minimal 10 karakter" in response.get_data(as_text=True)
    assert user.password_hash == before


def test_wrong_current_password_is_refused(client, make, login):
    login(make.user())
    response = client.post(
        "/account/password",
        data={"current": "bukan-ini-123", "password": "Kali-Bekasi-2027", "confirm": "Kali-Bekasi-2027"},
    )
    assert response.status_code == 422
    assert "Kata sandi sekarang salah." in response.get_data(as_text=True)
