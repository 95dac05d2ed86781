"""Reading the registry: one agency's client by UUID or merge by id, and the search behind the list page and the API."""

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from casework.access.gate import admit
from casework.access.rules import with_sensitive_today
from casework.clients.matching import search_names
from casework.clients.models import Client, ClientCategory, ClientMerge
from casework.core.errors import NotFound
from casework.core.lookup import agency_record
from casework.core.pagination import Ranked
from casework.extensions import db

# A query of digits (with the usual separators) is a NIK or the start of one.
_NIK_QUERY = re.compile(r"[\d\s.\-]{4,}")


def agency_client(agency_id, client_uuid, *options):
    """The client ``client_uuid`` of agency ``agency_id`` (loaded with ``options``); another agency's is missing."""
    return agency_record(Client, agency_id, client_uuid, _("Klien tidak ditemukan."), options)


def readable_client(user, client_uuid):
    """The client ``client_uuid`` of ``user``'s agency, if they may read it (``casework.access``).

    Another agency's client is a 404; a sensitive client they may not read is a
    ``Restricted`` 403, for reads and writes alike; a read of a sensitive client is audited.
    """
    client = agency_client(user.agency_id, client_uuid, with_sensitive_today(Client, Client.id))
    admit(user, client.id, client)
    return client


def _nik_prefix(digits):
    """NIKs starting with ``digits``, as a range: the (agency, NIK) index serves a range, never a LIKE."""
    condition = Client.nik >= digits
    if digits.strip("9"):
        # Below the next prefix ("3275" → "3276"); nothing follows a prefix of nines.
        condition &= Client.nik < str(int(digits) + 1).zfill(len(digits))
    return condition


def search(agency_id, q=None):
    """The agency's clients matching ``q``, for the shared pager: by NIK prefix, by name (best match first), or all.

    A select, except for a name query: the matcher ranks the token-blocked
    candidates by name in Python (``matching.search_names``), so that is a
    ``Ranked`` list of ids, and the pager reads only the rows of the page asked for.
    """
    select = (
        sa.select(Client)
        .where(Client.agency_id == agency_id, Client.merged_into_id.is_(None))
        # A page's categories in one more query, their names joined to it rather than read by a third.
        .options(selectinload(Client.categories).joinedload(ClientCategory.category), selectinload(Client.photo))
    )
    q = (q or "").strip()
    if not q:
        return select.order_by(Client.created_at.desc(), Client.id.desc())
    if _NIK_QUERY.fullmatch(q):
        return select.where(_nik_prefix(re.sub(r"\D", "", q))).order_by(Client.nik)
    return Ranked(select, Client.id, search_names(agency_id, q))


def agency_merge(agency_id, merge_id):
    """The merge ``merge_id`` between clients of agency ``agency_id``; another agency's is as good as missing."""
    merge = db.session.get(ClientMerge, merge_id)
    if merge is None or merge.survivor.agency_id != agency_id:
        raise NotFound(_("Penggabungan tidak ditemukan."))
    return merge
