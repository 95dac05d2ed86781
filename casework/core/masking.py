"""Masking client identity for users whose role may not read it (``clients.identity``).

Data officers and viewers work with lists and exports of the registry
without seeing who the people are: each word of a name keeps its first
letter (``mask_name("Siti Aminah") == "S*** A*****"``), a NIK or KK keeps
its region prefix, the first six digits (``mask_nik("3275014501900001") ==
"327501**********"``), a phone keeps its last two digits, and a free-text
address or a mother's name is masked like a name. ``None`` and empty stay as
they are, so a masked column still says whether the value was recorded.

Sensitive records (``casework.access``) add a second reason: in a list, the
rows of sensitive clients the user may not read are masked for everyone
(``hide_identities`` for the request, then ``identity`` per value).
"""

from flask import g
from flask_login import current_user

from casework.core.permissions import can

PERMISSION = "clients.identity"
MASK = "*"


def may_see_identity(user=None):
    """True when ``user`` (the signed-in user by default) may read names, NIK, KK, phone and address in full."""
    return can(current_user if user is None else user, PERMISSION)


def mask_name(name):
    """Each word's first letter, then one star per further character: ``"Siti Aminah"`` → ``"S*** A*****"``."""
    if not name:
        return name
    return " ".join(word[:1] + MASK * (len(word) - 1) for word in name.split())


def mask_nik(number):
    """A NIK or KK number with only its six-digit region prefix: ``"327501**********"``."""
    if not number:
        return number
    return number[:6] + MASK * (len(number) - 6) if len(number) > 6 else MASK * len(number)


def mask_phone(phone):
    """A phone number with only its last two digits: ``"**********12"``."""
    if not phone:
        return phone
    digits = [ch for ch in phone if ch.isdigit()]
    return MASK * max(len(digits) - 2, 0) + "".join(digits[-2:])


def mask_text(text):
    """Free text such as an address: masked word by word like a name."""
    return mask_name(text)


# How each sensitive field of a client is masked, by the field's name (lists and exports share it).
FIELD_MASKS = {
    "full_name": mask_name,
    "client_name": mask_name,
    "aliases": mask_name,
    "mother_name": mask_name,
    "nik": mask_nik,
    "kk_number": mask_nik,
    "phone": mask_phone,
    "address": mask_text,
    # Findings and complaints: the person found, the member of the public who reported.
    "person_name": mask_name,
    "reporter_name": mask_name,
    "reporter_contact": mask_text,
}


def masked(field, value, show):
    """``value`` as ``show``-ing users read it: in full when ``show``, else masked by ``FIELD_MASKS[field]``."""
    return value if show else FIELD_MASKS[field](value)


def hide_identities(client_ids):
    """Masks, for the rest of this request, the identity of the clients ``client_ids`` (whatever the user's role)."""
    g.hidden_clients = g.get("hidden_clients", frozenset()) | frozenset(client_ids)


def shows_identity(client):
    """True when the signed-in user reads ``client``'s identity in full: their role may, and it is not hidden."""
    return may_see_identity() and client.id not in g.get("hidden_clients", ())


def identity(field, value, client):
    """``value`` of ``client``'s sensitive ``field`` as the signed-in user may read it."""
    return masked(field, value, shows_identity(client))


def masked_dump(data, client):
    """A schema's dump ``data`` of ``client`` (or of a record naming it), its identity fields masked unless shown."""
    if shows_identity(client):
        return data
    return {key: FIELD_MASKS[key](value) if key in FIELD_MASKS else value for key, value in data.items()}
