"""Client registry operations: register (idempotent, duplicate-aware), update at a version, set categories.

Each operation validates every field at once (Indonesian messages per field),
changes state, rebuilds the client's name tokens, writes an audit row and
flushes; the caller commits. Audit rows name the fields changed, never their
values: client data is personal data (UU 27/2022).
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified

from casework.audit.services import record
from casework.clients.identity import check_kk_number, check_nik
from casework.clients.matching import Match, Probe, client_tokens, likely_duplicates
from casework.clients.models import DOCUMENTS, Client, ClientCategory, ClientNameToken, Sex
from casework.core.errors import Conflict, flush_versioned
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.validation import Problems, choice, date_value, text
from casework.extensions import db
from casework.reference.models import Category
from casework.reference.services import checked_region_code

CLIENT_FIELDS = (
    "full_name",
    "aliases",
    "sex",
    "birth_date",
    "birth_year",
    "birth_year_estimated",
    "place_of_birth",
    "mother_name",
    "nik",
    "kk_number",
    *DOCUMENTS,
    "phone",
    "address",
    "domicile_region_code",
    "origin_region_code",
)
# The fields the matcher compares: changing any of them may make the client look like another.
IDENTIFYING_FIELDS = (
    "full_name",
    "aliases",
    "sex",
    "birth_date",
    "birth_year",
    "birth_year_estimated",
    "mother_name",
    "origin_region_code",
)
EARLIEST_BIRTH_YEAR = 1900
# Domicile is a village or district; origin may also be only a city or regency.
DOMICILE_LEVELS = (3, 4)
ORIGIN_LEVELS = (2, 3, 4)


class PossibleDuplicate(Conflict):
    """The person may already be registered; ``matches`` are the candidates, best first.

    ``confirmable`` is False for an exact NIK match, which is never registered twice.
    """

    code = "possible_duplicate"

    def __init__(self, message, matches, confirmable):
        super().__init__(message)
        self.matches = matches
        self.confirmable = confirmable


# --- Checking input ---------------------------------------------------------------------------------


def _birth(problems, values, today):
    """The birth date, year and estimate flag; the year comes from the date when that is known."""
    birth_date = date_value(problems, values.get("birth_date"), "birth_date", today)
    if birth_date is not None:
        return {"birth_date": birth_date, "birth_year": birth_date.year, "birth_year_estimated": False}
    year = values.get("birth_year")
    if year in (None, ""):
        return {"birth_date": None, "birth_year": None, "birth_year_estimated": False}
    text_year = str(year).strip()
    valid = not isinstance(year, bool) and text_year.isascii() and text_year.isdigit()
    if not valid or not EARLIEST_BIRTH_YEAR <= int(text_year) <= today.year:
        problems.add(
            "birth_year",
            _("Tahun lahir harus antara %(first)d dan %(last)d.", first=EARLIEST_BIRTH_YEAR, last=today.year),
        )
        return {"birth_date": None, "birth_year": None, "birth_year_estimated": False}
    return {
        "birth_date": None,
        "birth_year": int(text_year),
        "birth_year_estimated": bool(values.get("birth_year_estimated")),
    }


def _number(problems, values, field, check):
    """The digits of a NIK or KK number, None when blank; its structure problems go to ``field``."""
    value = (values.get(field) or "").strip()
    if not value:
        return None
    result = check(value)
    for message in result.errors:
        problems.add(field, message)
    return result.digits if result.valid else None


def _client_values(problems, values, today):
    """Checks every client field, noting problems; returns the values to store."""
    columns = Client.__table__.c
    clean = {
        "full_name": text(problems, values, columns.full_name, required=True),
        "aliases": text(problems, values, columns.aliases),
        "sex": choice(problems, values.get("sex"), "sex", Sex, _("Pilih laki-laki atau perempuan."), required=False),
        **_birth(problems, values, today),
        "place_of_birth": text(problems, values, columns.place_of_birth),
        "mother_name": text(problems, values, columns.mother_name),
        "nik": _number(problems, values, "nik", check_nik),
        "kk_number": _number(problems, values, "kk_number", check_kk_number),
        **{name: bool(values.get(name)) for name in DOCUMENTS},
        "phone": text(problems, values, columns.phone),
        "address": text(problems, values, columns.address),
        "domicile_region_code": checked_region_code(problems, values, "domicile_region_code", DOMICILE_LEVELS),
        "origin_region_code": checked_region_code(problems, values, "origin_region_code", ORIGIN_LEVELS),
    }
    return clean


def _category_entries(problems, entries, today):
    """Checks category holdings [{category_id, since, until}]; returns them with dates parsed."""
    clean = []
    for entry in entries or ():
        category = (
            db.session.get(Category, entry.get("category_id")) if isinstance(entry.get("category_id"), int) else None
        )
        if category is None or not category.active:
            problems.add("categories", _("Kategori PPKS tidak dikenal atau tidak aktif."))
            continue
        since = date_value(problems, entry.get("since"), "categories", today)
        until = date_value(problems, entry.get("until"), "categories", today)
        if since is None and entry.get("since") in (None, ""):
            problems.add("categories", _("Isi sejak kapan kategori %(name)s berlaku.", name=category.name))
        elif since and until and until < since:
            problems.add(
                "categories", _("Kategori %(name)s: tanggal berakhir sebelum tanggal mulai.", name=category.name)
            )
        clean.append({"category_id": category.id, "since": since, "until": until})
    keys = [(entry["category_id"], entry["since"]) for entry in clean]
    if len(keys) != len(set(keys)):
        problems.add("categories", _("Kategori yang sama dengan tanggal mulai yang sama diisi dua kali."))
    return clean


def nik_holder(agency_id, nik, exclude_id=None):
    """The agency's client holding ``nik`` (other than ``exclude_id``), or None."""
    if nik is None:
        return None
    select = sa.select(Client).where(Client.agency_id == agency_id, Client.nik == nik)
    if exclude_id is not None:
        select = select.where(Client.id != exclude_id)
    return db.session.scalar(select)


def _refuse_same_nik(agency_id, nik, exclude_id=None):
    """Refuses a NIK another client of the agency already holds, pointing at that client."""
    holder = nik_holder(agency_id, nik, exclude_id)
    if holder is not None:
        message = _("NIK ini sudah terdaftar atas nama %(name)s.", name=holder.full_name)
        raise PossibleDuplicate(message, [Match(holder, 100, [_("NIK sama")])], confirmable=False)


def _refuse_likely_duplicates(agency_id, clean, message, exclude_id=None):
    """Refuses (confirmably) when the values look like another of the agency's clients."""
    matches = likely_duplicates(agency_id, Probe.of(clean), exclude_id=exclude_id)
    if matches:
        raise PossibleDuplicate(message, matches, confirmable=True)


# --- Operations -------------------------------------------------------------------------------------


def token_rows(client):
    """The client's name token rows: one per word of its names."""
    return [
        ClientNameToken(agency_id=client.agency_id, token=token, client_id=client.id)
        for token in sorted(client_tokens(client))
    ]


def reindex(client):
    """Replaces the client's name tokens with the words of its names now."""
    db.session.execute(sa.delete(ClientNameToken).where(ClientNameToken.client_id == client.id))
    db.session.add_all(token_rows(client))


def flush_client():
    """Flushes; a concurrent save of the same row becomes a Conflict."""
    flush_versioned(stale_message)


def stale_message():
    """What a user is told when someone else saved the client first."""
    return _(
        "Data klien ini sudah diubah orang lain sejak Anda membukanya. "
        "Lihat data terbaru di bawah, lalu ulangi perubahan Anda."
    )


def register_client(agency, actor, data, uuid=None, confirm_new=False, today=None):
    """Registers a client; returns (client, created).

    A repeated call with the same ``uuid`` returns the client it created the
    first time (created is False). A NIK already registered is refused; a
    likely duplicate by name is refused with the candidates unless
    ``confirm_new`` says the caller looked and this is someone else.
    """
    today = today or date.today()
    problems = Problems()
    client_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, Client, client_uuid, lambda client: client.agency_id == agency.id)
    if existing is not None:
        return existing, False
    clean = _client_values(problems, data, today)
    categories = _category_entries(problems, data.get("categories"), today)
    problems.raise_any()
    _refuse_same_nik(agency.id, clean["nik"])
    if not confirm_new:
        message = _("Orang ini mungkin sudah terdaftar. Periksa calon yang mirip sebelum mendaftarkan klien baru.")
        _refuse_likely_duplicates(agency.id, clean, message)
    client = Client(agency_id=agency.id, uuid=client_uuid, created_by_id=actor.id, **clean)
    client.categories = [ClientCategory(**entry) for entry in categories]
    db.session.add(client)
    db.session.flush()
    db.session.add_all(token_rows(client))  # a new client has no tokens to replace
    record("client.registered", client, actor=actor, fields=sorted(clean), confirmed_new=bool(confirm_new))
    db.session.flush()
    return client, True


def update_client(client, version, data, confirm_distinct=False, today=None):
    """Changes the fields given in ``data`` at ``version``; a stale version is a Conflict.

    ``categories``, when given, replaces the client's category holdings. A
    change to an identifying field that makes the client look like another is
    refused with the candidates unless ``confirm_distinct`` says the caller
    looked and they are different people. A merged client is not edited: its
    survivor is.
    """
    if client.merged_into_id is not None:
        raise Conflict(_("Data klien ini sudah digabung ke klien lain; ubah data klien tersebut."))
    if version != client.version:
        raise Conflict(stale_message())
    today = today or date.today()
    problems = Problems()
    current = {name: getattr(client, name) for name in CLIENT_FIELDS}
    if "birth_date" in data and "birth_year" not in data:
        # A cleared or changed birth date must not leave the old year behind as if typed.
        current["birth_year"] = None
    clean = _client_values(problems, {**current, **data}, today)
    categories = _category_entries(problems, data["categories"], today) if "categories" in data else None
    problems.raise_any()
    _refuse_same_nik(client.agency_id, clean["nik"], exclude_id=client.id)
    reidentified = any(getattr(client, name) != clean[name] for name in IDENTIFYING_FIELDS)
    if reidentified and not confirm_distinct:
        message = _("Dengan perubahan ini klien mirip klien lain yang sudah terdaftar. Periksa calon yang mirip.")
        _refuse_likely_duplicates(client.agency_id, clean, message, exclude_id=client.id)
    # Compared before any change: loading the holdings flushes, and one edit must move the version once.
    recategorised = categories is not None and _holdings(client) != _holdings_of(categories)
    changed = sorted(name for name, value in clean.items() if getattr(client, name) != value)
    for name in changed:
        setattr(client, name, clean[name])
    if recategorised:
        _set_categories(client, categories)
        changed.append("categories")
    if changed:
        flush_client()
        reindex(client)
        record("client.updated", client, fields=changed, confirmed_distinct=bool(reidentified and confirm_distinct))
        db.session.flush()
    return client


def _holdings(client):
    """The client's category holdings as comparable tuples."""
    return sorted((held.category_id, held.since, held.until) for held in client.categories)


def _holdings_of(entries):
    """Checked category entries as comparable tuples."""
    return sorted((entry["category_id"], entry["since"], entry["until"]) for entry in entries)


def _set_categories(client, entries):
    """Replaces the holdings, keeping the rows that stay, and moves the version (the holdings are the client's)."""
    kept = {(held.category_id, held.since): held for held in client.categories}
    holdings = []
    for entry in entries:
        held = kept.get((entry["category_id"], entry["since"])) or ClientCategory(**entry)
        held.until = entry["until"]
        holdings.append(held)
    client.categories = holdings
    # Changing only child rows would leave the client's version where it was;
    # marking a column dirty makes the flush update the row and move the version.
    flag_modified(client, "full_name")
