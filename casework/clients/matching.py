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
Search (``search_names``) blocks the same way on a smaller pool, plus the
clients holding all its words (found among the rarest word's holders, however
common the words), reads the last word typed as the start of a word ("Siti
Amin" finds "Siti Aminah"), and ranks by the name alone, from the names
without loading the clients.
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
# The same for a search: it shows a ranked page, where duplicate detection must not miss anyone it can find.
SEARCH_POOL = 500
# Holders of a search's rarest word checked for its other words, at most (see ``_together``);
# words are counted as far, to tell which is rarest.
SEARCH_SCANNED = MAX_POOL
# The shortest last word of a search also read as the start of longer words ("Amin" → "Aminah").
MIN_PREFIX = 3
# Years either side of an estimated birth year that still count as the same.
ESTIMATE_TOLERANCE = 2


def device_rules():
    """The rules above as data, for the offline field app's own duplicate check (``static/field/matching.js``).

    The device normalises and scores names with these, so the two checks
    cannot drift apart in their spellings, dropped words or thresholds.
    """
    return {
        "old_spellings": [list(pair) for pair in _OLD_SPELLINGS],
        "dropped": sorted(_DROPPED),
        "short_forms": dict(_SHORT_FORMS),
        "min_name_score": MIN_NAME_SCORE,
        "likely_score": LIKELY_SCORE,
        "estimate_tolerance": ESTIMATE_TOLERANCE,
    }


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


@dataclass(frozen=True, order=True)
class Prefix:
    """The start of a word, as typed so far: matches every longer token beginning with ``text`` (lower-case a–z)."""

    text: str


def _matching(term, token=ClientNameToken.token):
    """The condition "the ``token`` is ``term``" (a word), or continues it (a ``Prefix``), as an index range."""
    if isinstance(term, Prefix):
        # Tokens are a–z only, so the range ends before the next letter at the last position.
        following = term.text[:-1] + chr(ord(term.text[-1]) + 1)
        return (token > term.text) & (token < following)
    return token == term


def _holders(agency_id, term, limit, ordered=True):
    """A select of the ids of (at most ``limit``) clients holding ``term``; ``ordered``, newest first.

    A prefix's holders come word by word, each word's newest first: the index
    order read backwards, so only the rows kept are read (newest first over
    all its words would sort every holder of every word).
    """
    select = sa.select(ClientNameToken.client_id).where(ClientNameToken.agency_id == agency_id, _matching(term))
    if ordered:
        select = select.order_by(ClientNameToken.token.desc(), ClientNameToken.client_id.desc())
    return select.limit(limit)


def _word_of(term):
    """The word a term stands for: itself, or the start a ``Prefix`` continues."""
    return term.text if isinstance(term, Prefix) else term


def _together(agency_id, terms, driver, scanned, limit):
    """A select of (at most ``limit``) holders of ``driver`` who hold every other word too; None if no other.

    Of the first ``scanned`` holders of ``driver`` (newest first), each
    checked by its own words (the client-words index), so the work is bounded
    however common the words are; this finds "Siti Aminah" among thousands of
    Sitis and thousands of Aminahs, which neither word's newest holders would.
    """
    others = [term for term in terms if _word_of(term) != _word_of(driver)]
    if not others:
        return None
    holders = _holders(agency_id, driver, scanned).subquery()
    other = sa.alias(ClientNameToken.__table__)
    # Counted, not EXISTS: PostgreSQL would turn an EXISTS into a hash join over every holder of the other words.
    shares = (
        sa.select(sa.func.count())
        .where(
            other.c.client_id == holders.c.client_id,
            other.c.agency_id == agency_id,
            sa.or_(*(_matching(term, other.c.token) for term in others)),
        )
        .scalar_subquery()
    )
    words = len({_word_of(term) for term in others})
    return sa.select(holders.c.client_id).where(shares >= words).limit(limit).subquery()


def _pool(agency_id, terms, budget, together=0, scanned=0):
    """A select of at most ``budget`` clients to count shared words over, rarest words first; None when all fit.

    Every holder of a rare word is in the pool, so a surname held by few
    finds its person even beside a typo; a common word ("siti") adds only its
    newest holders, up to what is left of the budget. Holders are counted up
    to one past the budget, or to ``scanned``: words held by more count as
    equally common. With ``scanned``, up to ``together`` more clients, among
    the first ``scanned`` holders of the rarest word those holding every other
    word held at all (see ``_together``), join the pool.
    """
    terms = sorted(terms, key=str)
    # In one round trip.
    counted = [
        sa.select(sa.literal(at).label("term"), sa.func.count().label("holders")).select_from(
            _holders(agency_id, term, max(scanned, budget + 1), ordered=False).subquery()
        )
        for at, term in enumerate(terms)
    ]
    counts = dict(db.session.execute(sa.union_all(*counted)).all())
    if sum(counts.values()) <= budget:
        return None
    members, left = [], budget
    # Between terms counted alike (past what was counted), whole words before the continuations of one.
    rarest = sorted((at for at in counts if counts[at]), key=lambda at: (counts[at], isinstance(terms[at], Prefix), at))
    held = [terms[at] for at in rarest]
    # Only words somebody holds: a mistyped word must not keep everyone out.
    both = _together(agency_id, held, held[0], scanned, together) if scanned and held else None
    if both is not None:
        members.append(sa.select(both.c.client_id))
    for at in rarest:
        if left <= 0:
            break
        # A subquery each: SQLite refuses LIMIT on a bare member of a UNION.
        holders = _holders(agency_id, terms[at], min(counts[at], left)).subquery()
        members.append(sa.select(holders.c.client_id))
        left -= counts[at]
    return sa.union(*members).subquery()


def _candidates(agency_id, tokens, limit, budget, scanned=0):
    """A select (client_id, shared) of ``limit`` clients sharing most words with ``tokens`` (words or ``Prefix``es).

    Shared words are counted over a pool of at most ``budget`` clients (see
    ``_pool``): without it a query with "siti" or "muhamad" would group every
    holder of the word, tens of thousands of rows in a large registry. With
    ``scanned``, up to half of ``limit`` clients holding all the words join
    the pool (see ``_together``): a pool of the newest holders of common words
    misses them.
    """
    # The agency in every branch: SQLite serves an OR of index ranges only when each branch is one.
    words = sa.or_(*((ClientNameToken.agency_id == agency_id) & _matching(term) for term in sorted(tokens, key=str)))
    pool = _pool(agency_id, tokens, budget, limit // 2, scanned)
    if pool is None:
        shared = sa.func.count().label("shared")
        select = (
            sa.select(ClientNameToken.client_id, shared)
            .where(words)
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
    return select.limit(limit).subquery()


def candidate_ids(agency_id, tokens, limit=MAX_CANDIDATES):
    """Ids of the agency's clients sharing a word with ``tokens``, most shared words first (see ``_candidates``)."""
    if not tokens:
        return []
    candidates = _candidates(agency_id, tokens, limit, MAX_POOL)
    select = sa.select(candidates.c.client_id).order_by(candidates.c.shared.desc(), candidates.c.client_id.desc())
    return db.session.scalars(select).all()


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


def search_terms(query):
    """The terms a search for ``query`` blocks on: its normalised words, and the last one's continuations.

    The last word may be only half typed ("Siti Amin" is looking for "Siti
    Aminah"); a word shorter than ``MIN_PREFIX`` letters would start too many.
    """
    words = normalise_name(query).split()
    if not words or len(words[-1]) < MIN_PREFIX:
        return set(words)
    return {*words, Prefix(words[-1])}


def search_names(agency_id, query):
    """Ids of the agency's clients whose name or alias is like ``query``, best first (ties by name, then id).

    Blocked like duplicate detection but on a pool of ``SEARCH_POOL``, and ranked by
    the name alone, which is all a search knows: reads names, never whole clients.
    """
    terms = search_terms(query)
    if not terms:
        return []
    candidates = _candidates(agency_id, terms, MAX_CANDIDATES, SEARCH_POOL, SEARCH_SCANNED)
    rows = db.session.execute(
        sa.select(Client.id, Client.full_name, Client.aliases)
        .join(candidates, candidates.c.client_id == Client.id)
        .where(Client.merged_into_id.is_(None))
    ).all()
    names = [normalise_name(query)]
    scored = sorted((-name_score(names, row), row.full_name, row.id) for row in rows)
    return [row_id for negative, _name, row_id in scored if -negative >= MIN_NAME_SCORE]


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
