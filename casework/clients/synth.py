"""Synthetic clients of realistic shape, in bulk, for benchmarks (``flask casework synth``).

The shape is what the registry meets in a city agency: Indonesian names drawn
from weighted pools (a few names like Muhammad, Siti, Nur, Agus and Sri are
very common; about 30% of people have one name only; old and short spellings
appear), sex, an exact birth date or an estimated year, a NIK for about 45%
that agrees with birth date, sex and domicile district, a mother's name,
domicile villages inside the agency's region, origins partly elsewhere in
Indonesia, and one or two PPKS categories with since dates.

Rows go in with the reference loader's bulk insert (COPY on PostgreSQL,
batched Core inserts elsewhere), one batch at a time so memory stays flat
(apart from one NIK serial counter per district and birth date). Name tokens
are computed by ``matching.client_tokens``, as the registry service writes
them. The same seed gives the same clients.
"""

import random
import uuid as uuid_module
from bisect import bisect
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate

import sqlalchemy as sa

from casework.auth.models import User
from casework.clients.identity import compose_nik
from casework.clients.matching import client_tokens
from casework.clients.models import Client, ClientCategory, ClientNameToken, Sex
from casework.extensions import db
from casework.reference.loader import insert_rows
from casework.reference.models import Category, Region

# Clients per batch: each batch is generated, inserted and handed back before the next.
BATCH_SIZE = 10_000
# Synthetic data is dated relative to this fixed day, so a seed gives the same rows on any day.
REFERENCE_DATE = date(2026, 1, 1)
SINGLE_NAME_SHARE = 0.30
EXACT_BIRTH_DATE_SHARE = 0.60
# Of the clients with an exact birth date; 0.6 × 0.75 = 45% of all clients hold a NIK.
NIK_SHARE_OF_DATED = 0.75
MOTHER_NAME_SHARE = 0.55
ORIGIN_SHARE = 0.45
# Of the clients with an origin, those from outside the agency's own province.
FAR_ORIGIN_SHARE = 0.65
ALIAS_SHARE = 0.06
SECOND_CATEGORY_SHARE = 0.25
SPELLING_VARIANT_SHARE = 0.15


def _pool(text):
    """Names and cumulative weights from "Name:weight Name Name:weight" (weight 1 when not given).

    Cumulative weights, because ``random.choices`` would otherwise add them up on every draw.
    """
    names, weights = [], []
    for item in text.split():
        name, _sep, weight = item.partition(":")
        names.append(name)
        weights.append(int(weight or 1))
    return names, list(accumulate(weights))


# First words. Weights are relative, meant to reproduce how often a name is met, not census counts.
_MALE_FIRST = _pool(
    "Muhammad:90 Agus:30 Ahmad:30 Budi:18 Dedi:12 Eko:12 Andi:12 Rizki:14 Joko:8 Bambang:8 Hendra:8 Iwan:8 "
    "Asep:12 Ujang:8 Dodi:5 Rudi:8 Slamet:8 Wahyu:8 Adi:8 Arif:8 Dian:5 Hadi:5 Heru:5 Irfan:5 Yusuf:6 "
    "Abdul:14 Fajar:6 Ilham:6 Rahmat:8 Taufik:5 Teguh:5 Yoga:4 Bayu:5 Dimas:5 Aditya:5 Rian:4 Fauzi:4 "
    "Hasan:4 Imam:4 Lukman:3 Mulyadi:4 Nanang:3 Darto:2 Eman:2 Jaja:2 Ade:6 Aris:3 Yohanes:2 Petrus:2 "
    "Made:3 Ketut:2 Wayan:3 Nyoman:2 Gede:2 Dani:4 Deni:4 Edi:5 Sugeng:3 Tono:3 Supri:2 Anton:3 Robert:1 "
    "Yosef:1 Markus:1 Daniel:2 Kevin:2 Rafi:3 Farhan:3 Alif:3 Galih:2 Gilang:3 Rangga:2 Reza:3 Randi:2"
)
_FEMALE_FIRST = _pool(
    "Siti:90 Sri:40 Nur:35 Dewi:18 Ani:10 Rina:10 Yanti:8 Wati:6 Dian:8 Fitri:10 Putri:10 Ratna:6 Lina:5 "
    "Eka:6 Ayu:8 Indah:6 Nurul:10 Nining:3 Endang:6 Tri:6 Rini:6 Yuni:6 Lestari:4 Maria:4 Novi:4 Mega:4 "
    "Ika:4 Tuti:3 Yati:4 Ida:4 Imas:3 Entin:2 Kokom:2 Euis:3 Neneng:3 Cucu:2 Lilis:3 Aisyah:5 Aminah:4 "
    "Fatimah:5 Halimah:3 Khadijah:2 Maryam:3 Nurhayati:4 Rahmawati:3 Kartini:2 Sumarni:3 Wartini:2 Yohana:1 "
    "Ni:3 Komang:2 Kadek:2 Anisa:5 Nabila:3 Salsabila:3 Zahra:3 Aulia:3 Nadia:3 Amelia:3 Desi:3 Evi:3"
)
# Later words of multi-word names, for either sex, with the family names met in Sumatra and the east.
_LATER = _pool(
    "Hidayat:10 Saputra:12 Pratama:10 Santoso:8 Setiawan:8 Kurniawan:8 Wijaya:6 Nugroho:6 Susanto:5 "
    "Rahman:6 Hakim:4 Fauzi:4 Ramadhan:6 Firmansyah:5 Maulana:5 Hidayah:4 Lestari:6 Wahyuni:6 Rahayu:8 "
    "Handayani:5 Susanti:4 Safitri:5 Anggraini:5 Purnamasari:3 Sari:8 Utami:4 Yulianti:3 Permata:2 "
    "Amalia:3 Aulia:3 Kusuma:3 Prasetyo:5 Purnomo:3 Sutrisno:3 Gunawan:4 Salim:3 Aziz:2 Ali:3 Rizki:5 "
    "Nurhaliza:2 Aminah:2 Fadilah:3 Syahputra:4 Siregar:3 Nasution:3 Lubis:2 Harahap:2 Simanjuntak:2 "
    "Manurung:2 Sitompul:1 Pardede:1 Tambunan:1 Hutapea:1 Sinaga:2 Panjaitan:1 Ginting:2 Tarigan:1 "
    "Sembiring:1 Lumbantobing:1 Pasaribu:1 Simatupang:1 Wenas:1 Lumenta:1 Pattinama:1 Latuconsina:1 "
    "Daeng:1 Pohan:1 Batubara:1 Effendi:3 Iskandar:3 Syahrial:1 Hamzah:2 Zulkarnain:1 Hasibuan:1"
)
# Single names are mostly Javanese and Sundanese: a prefix and a root ("Su" + "parman").
_SINGLE_PREFIX = _pool("Su:10 Sri:3 Tu:3 Wa:3 Pa:2 Sa:3 Ka:3 Mu:2 Da:2 Ru:2 Ja:2 Sar:2 War:2 Man:1 Ta:2")
_SINGLE_ROOTS = {
    Sex.MALE: _pool(
        "parman:4 tarno:4 giyono:3 kirno:2 warno:3 yono:4 harto:3 marno:3 yadi:4 darmo:2 kimin:2 rijan:1 "
        "man:3 min:2 jo:2 wito:1 pardi:2 senen:1 timan:1 diman:2 lamet:1 gito:1 ratno:2 narto:2"
    ),
    Sex.FEMALE: _pool(
        "tinah:3 rinah:2 minah:3 kiyem:2 yati:3 rni:2 nah:2 ginem:1 sinah:1 iyem:2 ijah:2 muni:1 yatmi:1 "
        "kemi:1 ronah:1 kasih:1 warni:2 tini:2 mirah:1 narsih:1 lastri:1 sumi:1"
    ),
}
# Old, long and short spellings as caseworkers copy them from letters and cards.
_VARIANTS = {
    "Muhammad": ("Muhamad", "Mohammad", "Moh.", "M.", "Mochamad", "Muh."),
    "Ahmad": ("Achmad", "Akhmad"),
    "Abdul": ("Abd.",),
    "Siti": ("St.",),
    "Nur": ("Noor", "Nuur"),
    "Rizki": ("Rizky", "Risky", "Rizqi"),
    "Yusuf": ("Jusuf",),
    "Joko": ("Djoko",),
    "Sutrisno": ("Soetrisno",),
    "Santoso": ("Santosa",),
    "Hidayat": ("Hidajat",),
    "Syahputra": ("Sjahputra",),
    "Fitri": ("Fitry",),
    "Yanti": ("Janti",),
}
_NICKNAMES = _pool("Iki Ujang Jack Ucok Butet Neng Mak Acil Bule Item Gondrong Kribo Udin Otong Acun Ipeh Entong")
# Age ranges (years) by the start of a category's slug; everyone else is an adult.
_AGES = (("anak-balita", (0, 5)), ("anak", (0, 17)), ("lanjut-usia", (60, 92)))
_ADULT = (18, 75)
_UUID_NAMESPACE = uuid_module.UUID("0c5e3f0e-7d1b-4a53-9a8e-5d1f3c2b7a90")


@dataclass
class _Setting:
    """What one synthesis draws from: the agency's villages, origins far and near, categories, the actor."""

    agency_id: int
    actor_id: int
    villages: list[str]
    near_origins: list[str]
    far_origins: list[str]
    categories: list[tuple[int, str]]


class SynthError(Exception):
    """Synthesis cannot start (no such agency, no regions, no user to record as creator)."""


def _setting(agency):
    """The regions, categories and creator a synthesis for ``agency`` draws from."""
    region = agency.region_code
    actor_id = db.session.scalar(sa.select(sa.func.min(User.id)).where(User.agency_id == agency.id))
    villages = db.session.scalars(
        sa.select(Region.code)
        .where(Region.level == 4, Region.code.startswith(f"{region}."), Region.retired.is_(False))
        .order_by(Region.code)
    ).all()
    districts = db.session.scalars(
        sa.select(Region.code).where(Region.level == 3, Region.retired.is_(False)).order_by(Region.code)
    ).all()
    province = region[:2]
    categories = db.session.execute(
        sa.select(Category.id, Category.slug).where(Category.active.is_(True)).order_by(Category.id)
    ).all()
    if actor_id is None or not villages or not categories:
        raise SynthError(f"agency {agency.code} needs a user, villages in region {region} and active categories")
    return _Setting(
        agency_id=agency.id,
        actor_id=actor_id,
        villages=villages,
        near_origins=[code for code in districts if code.startswith(province)],
        far_origins=[code for code in districts if not code.startswith(province)],
        categories=[tuple(row) for row in categories],
    )


def _nik_serials(agency_id):
    """The last serial used per NIK prefix (district + birth date) in the agency, so new NIKs never collide."""
    prefix = sa.func.substr(Client.nik, 1, 12)
    rows = db.session.execute(
        sa.select(prefix, sa.func.max(sa.func.substr(Client.nik, 13, 4)))
        .where(Client.agency_id == agency_id, Client.nik.is_not(None))
        .group_by(prefix)
    )
    return {row[0]: int(row[1]) for row in rows}


def reserve_ids(table, count):
    """``count`` new primary keys for ``table``: from its sequence on PostgreSQL, after the largest id elsewhere.

    Ids are chosen here, not by the database, because the category and token
    rows of a batch must name their clients before anything is inserted.
    """
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
        # The table name comes from the model, never from input.
        sql = sa.text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)")  # noqa: S608
        return list(connection.execute(sql, {"n": count}).scalars())
    last = connection.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    return list(range(last + 1, last + 1 + count))


class _Person:
    """Draws one synthetic person's fields from a seeded random generator."""

    def __init__(self, rng, setting, serials):
        self.rng = rng
        self.setting = setting
        self.serials = serials

    def pick(self, pool):
        """One name from a weighted pool: the draw ``rng.choices`` makes, without its per-call overhead."""
        names, cumulative = pool
        return names[bisect(cumulative, self.rng.random() * cumulative[-1], 0, len(names) - 1)]

    def spelled(self, word):
        """``word``, sometimes in one of its other spellings."""
        variants = _VARIANTS.get(word)
        if variants and self.rng.random() < SPELLING_VARIANT_SHARE:
            return self.rng.choice(variants)
        return word

    def name(self, sex):
        """A full name: one word (about 30%), or a first name and one or two later words."""
        if self.rng.random() < SINGLE_NAME_SHARE:
            return self.spelled(self.pick(_SINGLE_PREFIX) + self.pick(_SINGLE_ROOTS[sex]))
        first = self.pick(_MALE_FIRST if sex == Sex.MALE else _FEMALE_FIRST)
        words = [first, *(self.pick(_LATER) for _n in range(1 if self.rng.random() < 0.7 else 2))]
        return " ".join(self.spelled(word) for word in dict.fromkeys(words))

    def birth(self, slug):
        """(birth date or None, birth year, estimated) for someone holding category ``slug``."""
        low, high = next((ages for start, ages in _AGES if slug.startswith(start)), _ADULT)
        age_days = self.rng.randint(low * 365, high * 365 + 364)
        born = REFERENCE_DATE - timedelta(days=age_days)
        if self.rng.random() < EXACT_BIRTH_DATE_SHARE:
            return born, born.year, False
        return None, born.year, True

    def nik(self, district, born, sex):
        """A NIK issued in ``district`` (a dotted code) to someone born on ``born``, unique in the agency."""
        prefix = compose_nik(district, born, sex, 1)[:12]
        serial = self.serials.get(prefix, 0) + 1
        self.serials[prefix] = serial
        return f"{prefix}{serial:04d}"

    def rows(self, client_id):
        """The client row, its category rows and its name-token rows."""
        rng, setting = self.rng, self.setting
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
        held = rng.sample(setting.categories, 2 if rng.random() < SECOND_CATEGORY_SHARE else 1)
        born, year, estimated = self.birth(held[0][1])
        village = rng.choice(setting.villages)
        nik = None
        if born is not None and rng.random() < NIK_SHARE_OF_DATED:
            nik = self.nik(village[:8], born, sex)
        origin = None
        if rng.random() < ORIGIN_SHARE:
            origin = rng.choice(setting.far_origins if rng.random() < FAR_ORIGIN_SHARE else setting.near_origins)
        full_name = self.name(sex)
        aliases = self.pick(_NICKNAMES) if rng.random() < ALIAS_SHARE else None
        registered = REFERENCE_DATE - timedelta(days=rng.randint(0, 5 * 365))
        client = {
            "id": client_id,
            # From the id, which is new: unique, and the same for the same seed on the same database.
            "uuid": uuid_module.uuid5(_UUID_NAMESPACE, str(client_id)),
            "agency_id": setting.agency_id,
            "full_name": full_name,
            "aliases": aliases,
            "sex": sex.value,
            "birth_date": born,
            "birth_year": year,
            "birth_year_estimated": estimated,
            "mother_name": self.name(Sex.FEMALE) if rng.random() < MOTHER_NAME_SHARE else None,
            "nik": nik,
            "has_ktp": nik is not None and year <= REFERENCE_DATE.year - 17,
            "has_kk": nik is not None,
            "has_akta": born is not None and rng.random() < 0.5,
            # COPY skips the model's defaults, so every column without a database default is given.
            "has_kia": False,
            "domicile_region_code": village,
            "origin_region_code": origin,
            "created_by_id": setting.actor_id,
            "created_at": datetime(registered.year, registered.month, registered.day, tzinfo=UTC),
            "version": 1,
        }
        # Categories are held from a date between birth (or five years back) and registration.
        earliest = max(born or date(year, 1, 1), registered - timedelta(days=5 * 365))
        categories = [
            {
                "client_id": client_id,
                "category_id": category_id,
                "since": earliest + timedelta(days=rng.randint(0, max(0, (registered - earliest).days))),
            }
            for category_id, _slug in held
        ]
        tokens = [
            {"agency_id": setting.agency_id, "token": token, "client_id": client_id}
            for token in sorted(client_tokens(_Names(full_name, aliases)))
        ]
        return client, categories, tokens


@dataclass
class _Names:
    """The two fields ``client_tokens`` reads, for a client that is still a row."""

    full_name: str
    aliases: str | None


def person_name(rng, sex):
    """A full name for someone of ``sex``, drawn with ``rng`` as ``synthesise`` names its clients."""
    return _Person(rng, None, None).name(sex)


def synthesise(agency, count, seed=0, batch_size=BATCH_SIZE):
    """Inserts ``count`` synthetic clients into ``agency``, one batch at a time; yields the running total.

    The caller may commit between batches (the CLI does); nothing is
    committed here. Raises ``SynthError`` when the agency lacks what clients
    refer to.
    """
    setting = _setting(agency)
    # Seeded, not secure: the point is the same clients again for the same seed.
    person = _Person(random.Random(seed), setting, _nik_serials(agency.id))  # noqa: S311
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        clients, categories, tokens = [], [], []
        for client_id in reserve_ids(Client.__table__, size):
            client, held, words = person.rows(client_id)
            clients.append(client)
            categories.extend(held)
            tokens.extend(words)
        insert_rows(Client.__table__, clients)
        insert_rows(ClientCategory.__table__, categories)
        insert_rows(ClientNameToken.__table__, tokens)
        done += size
        yield done
