"""Finding the clients a new or searched-for person may already be: Indonesian names, fuzzily.

Names are normalised first (``normalise_name``): lower-case ASCII; titles,
honorifics and the patronymic links "bin"/"binti" dropped (the father's name
stays as a word); everything after a comma dropped, because academic degrees
follow one ("Budi, S.Sos"); pre-1972 spellings mapped to today's (oe→u, tj→c,
nj→ny, dj→j, sj→sy, ch→kh); doubled letters collapsed; a final y read as i;
and the usual short forms of Muhammad, Abdul and Siti expanded. The old j
(= today's y, "Djojo") is left alone: reading every j as y would merge far
more modern names than it would join old ones.

Candidates come from ``ClientNameToken``: only clients sharing at least one
normalised word with the query are read and scored (blocking). Words are
looked up rarest first and the rows read are capped (``MAX_POOL``), so the
work stays bounded even for "siti" or "muhamad" in a registry of a million.
Scores combine rapidfuzz's token-set and token-sort ratios (a missing or extra
word, single names, word order) with birth date or year, sex, mother's name
and region of origin into one figure 0–100, with the reasons shown.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from flask_babel import gettext as _
from rapidfuzz import fuzz

from casework.clients.models import Client, ClientNameToken
from casework.extensions import db

_OLD_SPELLINGS = (("oe", "u"), ("tj", "c"), ("nj", "ny"), ("dj", "j"), ("sj", "sy"), ("ch", "kh"))
_DOUBLED = re.compile(r"([a-z])\1+")
_WORD = re.compile(r"[a-z]+")
# Dropped words: honorifics, religious and academic titles, and the patronymic links.
_DROPPED = frozenset(
    [
        "h",
        "hj",
        "haji",
        "hajah",
        "dr",
        "drs",
        "dra",
        "ir",
        "prof",
        "kh",
        "ust",
        "ustadz",
        "ustazah",
        "bpk",
        "bapak",
        "ibu",
        "ny",
        "nyonya",
        "tn",
        "sdr",
        "sdri",
        "mbah",
        "alm",
        "almh",
        "bin",
        "binti",
        "bt",
    ]
)
# Short forms, as they read after the spelling rules above.
_SHORT_FORMS = {
    "m": "muhamad",
    "mhd": "muhamad",
    "moh": "muhamad",
    "muh": "muhamad",
    "mohamad": "muhamad",
    "mokhamad": "muhamad",
    "mokh": "muhamad",
    "mukh": "muhamad",
    "akhmad": "ahmad",
    "mukhamad": "muhamad",
    "abd": "abdul",
    "st": "siti",
}
# A candidate whose name scores below this is not the same person, whatever else agrees.
MIN_NAME_SCORE = 70
# From this overall score a candidate is offered as a possible duplicate.
LIKELY_SCORE = 55
# Blocked candidates scored per query, most shared words first.
MAX_CANDIDATES = 200
# Clients whose shared words one query counts, at most: bounds the work for very common words.
MAX_POOL = 3000
# Years either side of an estimated birth year that still count as the same.
ESTIMATE_TOLERANCE = 2


def _word(word):
    """One word in its normalised spelling."""
    for old, new in _OLD_SPELLINGS:
        word = word.replace(old, new)
    word = _DOUBLED.sub(r"\1", word)
    if len(word) > 2 and word.endswith("y"):
        word = word[:-1] + "i"
    return _SHORT_FORMS.get(word, word)


# Cached: a search normalises its own name once per candidate, and the registry's names repeat a lot.
@lru_cache(maxsize=8192)
def normalise_name(text):
    """The name as matching compares it: "H. Moch. Rizky bin Achmad, S.Sos" → "muhamad rizki ahmad"."""
    folded = unicodedata.normalize("NFKD", (text or "").split(",")[0]).encode("ascii", "ignore").decode().lower()
    return " ".join(_word(word) for word in _WORD.findall(folded) if word not in _DROPPED)


def all_names(full_name, aliases):
    """A person's full name and each of their comma-separated aliases, blanks skipped."""
    return [name for name in (full_name, *(aliases or "").split(",")) if name and name.strip()]


def name_tokens(*names):
    """The distinct normalised words of ``names`` (None skipped), as the token table stores them."""
    return {word for name in names if name for word in normalise_name(name).split()}


def client_tokens(client):
    """The words a client is found by: those of the full name and of every alias."""
    return name_tokens(*all_names(client.full_name, client.aliases))


def _holders(agency_id, token, limit):
    """A select of the ids of (at most ``limit``) clients holding ``token``, newest first."""
    return (
        sa.select(ClientNameToken.client_id)
        .where(ClientNameToken.agency_id == agency_id, ClientNameToken.token == token)
        .order_by(ClientNameToken.client_id.desc())
        .limit(limit)
    )


def _pool(agency_id, tokens):
    """A select of at most ``MAX_POOL`` clients to count shared words over, rarest words first; None when all fit.

    Every holder of a rare word is in the pool, so a surname held by few
    finds its person even beside a typo; a common word ("siti") adds only its
    newest holders, up to what is left of the budget.
    """
    # Counted only up to one past the budget (a larger count would change nothing), in one round trip.
    counted = [
        sa.select(sa.literal(token).label("token"), sa.func.count().label("holders")).select_from(
            _holders(agency_id, token, MAX_POOL + 1).subquery()
        )
        for token in tokens
    ]
    counts = dict(db.session.execute(sa.union_all(*counted)).all())
    if sum(counts.values()) <= MAX_POOL:
        return None
    members, left = [], MAX_POOL
    for token in sorted(tokens, key=lambda token: (counts[token], token)):
        if left <= 0:
            break
        if counts[token]:
            # A subquery each: SQLite refuses LIMIT on a bare member of a UNION.
            holders = _holders(agency_id, token, min(counts[token], left)).subquery()
            members.append(sa.select(holders.c.client_id))
            left -= counts[token]
    return sa.union(*members).subquery()


def candidate_ids(agency_id, tokens, limit=MAX_CANDIDATES):
    """Ids of the agency's clients sharing a word with ``tokens``, most shared words first.

    Shared words are counted over a bounded pool (see ``_pool``): without it a
    query with "siti" or "muhamad" would group every holder of the word, tens of
    thousands of rows in a large registry.
    """
    if not tokens:
        return []
    words = ClientNameToken.token.in_(sorted(tokens))
    pool = _pool(agency_id, tokens)
    if pool is None:
        shared = sa.func.count().label("shared")
        select = (
            sa.select(ClientNameToken.client_id, shared)
            .where(ClientNameToken.agency_id == agency_id, words)
            .group_by(ClientNameToken.client_id)
            .order_by(shared.desc(), ClientNameToken.client_id.desc())
        )
    else:
        # Counted per pooled client by primary-key lookups: a join or IN would let PostgreSQL
        # hash every holder of the common words instead (tens of thousands of rows at 1M clients).
        shared = (
            sa.select(sa.func.count())
            .where(ClientNameToken.agency_id == agency_id, ClientNameToken.client_id == pool.c.client_id, words)
            .scalar_subquery()
            .label("shared")
        )
        select = sa.select(pool.c.client_id, shared).order_by(shared.desc(), pool.c.client_id.desc())
    return [row.client_id for row in db.session.execute(select.limit(limit))]


@dataclass
class Probe:
    """What is known of the person being looked for; anything may be None."""

    full_name: str
    aliases: str | None = None
    sex: object = None
    birth_date: object = None
    birth_year: int | None = None
    birth_year_estimated: bool = False
    mother_name: str | None = None
    origin_region_code: str | None = None

    @classmethod
    def of(cls, values):
        """A probe from a client's clean values (a dict holding at least ``full_name``)."""
        return cls(**{name: values.get(name) for name in cls.__dataclass_fields__})


@dataclass
class Match:
    """A candidate client with its score (0–100) and the reasons, in words."""

    client: Client
    score: int
    reasons: list[str]


def name_score(probe_names, client):
    """The best similarity (0–100) between any of the probe's names and any of the client's."""
    theirs = [normalise_name(name) for name in all_names(client.full_name, client.aliases)]
    best = 0
    for ours in probe_names:
        for other in theirs:
            # Token-set forgives a missing or extra word; token-sort keeps a single name from
            # scoring as high as the whole name it is part of.
            similarity = 0.8 * fuzz.token_set_ratio(ours, other) + 0.2 * fuzz.token_sort_ratio(ours, other)
            best = max(best, round(similarity))
    return best


def _birth_points(probe, client):
    """Points and reason for agreeing (or not) on the birth date or year."""
    if probe.birth_date and client.birth_date:
        if probe.birth_date == client.birth_date:
            return 20, _("tanggal lahir sama")
        return -20, _("tanggal lahir berbeda")
    if probe.birth_year and client.birth_year:
        gap = abs(probe.birth_year - client.birth_year)
        if gap == 0:
            return 12, _("tahun lahir sama")
        if (probe.birth_year_estimated or client.birth_year_estimated) and gap <= ESTIMATE_TOLERANCE:
            return 8, _("tahun lahir mirip (perkiraan ±%(n)d)", n=ESTIMATE_TOLERANCE)
        return -20, _("tahun lahir berbeda")
    return 0, None


def _other_points(probe, client):
    """Points and reasons for sex, mother's name and region of origin."""
    points, reasons = 0, []
    if probe.sex and client.sex:
        if probe.sex == client.sex:
            points += 5
        else:
            points -= 25
            reasons.append(_("jenis kelamin berbeda"))
    if probe.mother_name and client.mother_name:
        similarity = fuzz.token_set_ratio(normalise_name(probe.mother_name), normalise_name(client.mother_name))
        if similarity >= 90:
            points += 10
            reasons.append(_("nama ibu sama"))
        elif similarity >= 75:
            points += 6
            reasons.append(_("nama ibu mirip"))
        else:
            points -= 10
            reasons.append(_("nama ibu berbeda"))
    origin, theirs = probe.origin_region_code, client.origin_region_code
    if origin and theirs and (origin.startswith(theirs) or theirs.startswith(origin)):
        points += 5
        reasons.append(_("daerah asal sama"))
    return points, reasons


def score(probe, client):
    """How likely ``client`` is the person ``probe`` describes: (0–100, reasons), or None below the name floor."""
    names = [normalise_name(name) for name in all_names(probe.full_name, probe.aliases)]
    similarity = name_score(names, client)
    if similarity < MIN_NAME_SCORE:
        return None
    reasons = [_("nama mirip %(n)d", n=similarity)]
    points, reason = _birth_points(probe, client)
    if reason:
        reasons.append(reason)
    others, other_reasons = _other_points(probe, client)
    # A perfect name alone is 60: enough to be offered, never enough to be sure.
    total = round(0.6 * similarity) + points + others
    return max(0, min(100, total)), reasons + other_reasons


def rank(probe, clients, minimum=0):
    """``clients`` scored against ``probe``, best first, keeping those scoring at least ``minimum``."""
    matches = []
    for client in clients:
        result = score(probe, client)
        if result is not None and result[0] >= minimum:
            matches.append(Match(client, *result))
    return sorted(matches, key=lambda match: (-match.score, match.client.full_name, match.client.id))


def load_clients(ids):
    """The clients with ``ids`` (the blocked candidates), in one query; merged records are left out."""
    if not ids:
        return []
    return db.session.scalars(sa.select(Client).where(Client.id.in_(ids), Client.merged_into_id.is_(None))).all()


def likely_duplicates(agency_id, probe, limit=5, exclude_id=None):
    """The agency's clients (other than ``exclude_id``) that may be the person ``probe`` describes, best first."""
    ids = candidate_ids(agency_id, name_tokens(*all_names(probe.full_name, probe.aliases)))
    clients = [client for client in load_clients(ids) if client.id != exclude_id]
    return rank(probe, clients, minimum=LIKELY_SCORE)[:limit]
