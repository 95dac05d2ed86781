"""Password hashing (Argon2id) and the password policy."""

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a miss takes as long as a hit.
_DUMMY_HASH = _hasher.hash("casework-timing-equaliser")

MIN_LENGTH = 10
# The passwords most often tried first; a longer list belongs in a file if ever needed.
COMMON = frozenset(
    {
        "1234567890",
        "12345678910",
        "password123",
        "password1234",
        "qwertyuiop",
        "admin12345",
        "bismillah123",
        "indonesia123",
        "dinassosial",
        "dinsos12345",
        "casework123",
        "rahasia123",
    }
)


def hash_password(password):
    """An Argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash, password):
    """True when ``password`` matches; spends the same time when there is no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash):
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def password_problems(password, username=""):
    """What is wrong with a new password, as messages for the user (empty: acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Kata sandi minimal %(n)d karakter.", n=MIN_LENGTH))
    if password.lower() in COMMON or len(set(password)) < 4:
        problems.append(_("Kata sandi ini terlalu mudah ditebak."))
    if username and username.lower() in password.lower():
        problems.append(_("Kata sandi tidak boleh memuat nama pengguna."))
    if not re.search(r"[A-Za-z]", password) or not re.search(r"[^A-Za-z]", password):
        problems.append(_("Kata sandi harus memuat huruf dan angka atau simbol."))
    return problems
