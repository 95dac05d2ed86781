"""Record type ``clients``: the registry, with categories (and since dates), documents and region of origin.

Each row goes through the registry's own field checks (``clients.services``:
lengths, sex, birth date or year, NIK and KK structure, region levels). A NIK
the agency already holds links the row to that client; a likely duplicate
(the registry's matcher, see ``imports.matcher``) needs a decision; a row
imported before under the same source key with other content updates the
client. New clients are written with Core inserts, a batch at a time, with
their name words and category holdings.
"""

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.clients.identity import NUMBER_LENGTH, check_kk_number, check_nik
from casework.clients.matching import all_names, name_tokens
from casework.clients.models import DOCUMENTS, Client, ClientCategory, ClientNameToken
from casework.clients.services import _client_values, _set_categories, flush_client, reindex
from casework.core.validation import Problems
from casework.extensions import db
from casework.imports.bulk import insert_returning_ids
from casework.imports.cells import bool_cell, date_cell, parse_date, sex_cell
from casework.imports.matcher import BatchMatcher, probe_of
from casework.imports.models import ImportKey
from casework.imports.types import Action, Candidate, Column, key_column, register

# Registry field → column id, where they differ (regions are given by name or code).
_FIELD_COLUMNS = {"domicile_region_code": "domicile_region", "origin_region_code": "origin_region"}
_DOCUMENT_HEADERS = {
    "has_ktp": _l("Punya KTP"),
    "has_kk": _l("Punya KK"),
    "has_akta": _l("Punya akta kelahiran"),
    "has_kia": _l("Punya KIA"),
}


class ClientsType:
    """Clients (klien PPKS)."""

    name = "clients"
    label = _l("Klien")
    can_update = True
    columns = (
        key_column(),
        Column("full_name", _l("Nama lengkap"), required=True, example="Siti Aminah"),
        Column("aliases", _l("Nama lain"), help=_l("Dipisah koma."), example="Minah"),
        Column("sex", _l("Jenis kelamin"), codes="sexes", example="P"),
        Column("birth_date", _l("Tanggal lahir"), help=_l("HH/BB/TTTT"), example="17/08/1990"),
        Column("birth_year", _l("Tahun lahir"), help=_l("Diisi bila tanggal lahir tidak diketahui."), example=""),
        Column("birth_year_estimated", _l("Tahun lahir perkiraan"), codes="yes_no", example="tidak"),
        Column("place_of_birth", _l("Tempat lahir"), example="Bekasi"),
        Column("mother_name", _l("Nama ibu kandung"), example="Aminah"),
        Column("nik", _l("NIK"), help=_l("16 angka; tulis sebagai teks agar angka tidak berubah."), example=""),
        Column("kk_number", _l("Nomor KK"), help=_l("16 angka."), example=""),
        *(Column(name, header, codes="yes_no", example="ya") for name, header in _DOCUMENT_HEADERS.items()),
        Column("phone", _l("Telepon"), example="081234567890"),
        Column("address", _l("Alamat"), example="Jl. Melati 3"),
        Column(
            "domicile_region",
            _l("Wilayah domisili"),
            help=_l("Kelurahan/desa atau kecamatan: kode Kemendagri atau nama persis."),
            example="32.75.01.1001",
        ),
        Column(
            "origin_region",
            _l("Daerah asal"),
            help=_l("Kabupaten/kota, kecamatan atau desa: kode Kemendagri atau nama persis."),
            example="",
        ),
        Column(
            "categories",
            _l("Kategori PPKS"),
            codes="categories",
            help=_l("Kode kategori dan tanggal mulai, dipisah titik koma: F3 (01/02/2024); anak-jalanan (2023-05-15)."),
            example="anak-jalanan (01/02/2024)",
        ),
    )

    def natural_key(self, row):
        """The NIK, when the row has one and no source key."""
        return f"nik:{row.cell('nik')}" if row.cell("nik") else None

    # ------------------------------------------------------------------ checking

    def _values(self, ctx, row):
        """The registry field values of the row (dates parsed, regions resolved), or None."""
        values = {
            name: row.cell(name)
            for name in ("full_name", "aliases", "place_of_birth", "mother_name", "phone", "address")
        }
        values["sex"] = sex_cell(row, "sex")
        values["birth_date"] = date_cell(row, "birth_date", today=ctx.today)
        values["birth_year"] = (
            row.cell("birth_year")[:4] if row.cell("birth_year").endswith(".0") else row.cell("birth_year")
        )
        values["birth_year_estimated"] = bool_cell(row, "birth_year_estimated")
        for name in DOCUMENTS:
            values[name] = bool_cell(row, name)
        # Checked here with lookups cached for the whole file (the registry's checks would query each row);
        # the same checks, so the same messages. Cells already refused read as blank below.
        checked = {
            "nik": _identity(ctx, row, "nik", check_nik),
            "kk_number": _identity(ctx, row, "kk_number", check_kk_number),
            "domicile_region_code": ctx.region(row, "domicile_region", levels=(3, 4)),
            "origin_region_code": ctx.region(row, "origin_region", levels=(2, 3, 4)),
        }
        problems = Problems()
        clean = _client_values(problems, values, ctx.today)
        clean.update(checked)
        for field, messages in problems.fields.items():
            for message in messages:
                row.error(_FIELD_COLUMNS.get(field, field), message)
        return clean if row.ok else None

    def _categories(self, ctx, row):
        """[(category id, since)] from "CODE (date); CODE (date)"."""
        held = []
        for part in filter(None, (item.strip() for item in row.cell("categories").split(";"))):
            code, _sep, rest = part.partition("(")
            since = parse_date(rest.rstrip(") ")) if rest else None
            category_id, message = ctx.category_of(code.strip())
            if message:
                row.error("categories", message)
            elif since is None:
                row.error(
                    "categories",
                    _(
                        "Kategori %(code)s: tulis tanggal mulai dalam kurung, misalnya %(code)s (01/02/2024).",
                        code=code.strip(),
                    ),
                )
            elif since > ctx.today:
                row.error("categories", _("Kategori %(code)s: tanggal mulai di masa depan.", code=code.strip()))
            elif (category_id, since) in held:
                row.error(
                    "categories", _("Kategori %(code)s ditulis dua kali dengan tanggal yang sama.", code=code.strip())
                )
            else:
                held.append((category_id, since))
        return held

    def check(self, ctx, rows):
        """Checks a batch: fields, categories, NIK in the file and in the registry, likely duplicates."""
        niks_in_file = ctx.state.setdefault("clients.niks", {})
        ctx.prefetch_regions(_region_texts(rows))
        for row in rows:
            clean = self._values(ctx, row)
            categories = self._categories(ctx, row)
            if clean is None or not row.ok:
                continue
            if clean["nik"]:
                first = niks_in_file.setdefault(clean["nik"], row.line)
                if first != row.line:
                    row.error("nik", _("NIK sama dengan baris %(line)d.", line=first))
                    continue
            row.values = {"client": clean, "categories": categories}
            row.label = clean["full_name"]
        valid = [row for row in rows if row.ok and row.values]
        holders = _nik_holders(ctx.agency.id, [row.values["client"]["nik"] for row in valid])
        probes = []
        for row in valid:
            holder = holders.get(row.values["client"]["nik"])
            if row.known:
                if holder is not None and holder[0] != row.known[0]:
                    row.error("nik", _("NIK ini sudah terdaftar atas nama %(name)s.", name=holder[1]))
                else:
                    row.action, row.target_id = Action.UPDATE, row.known[0]
            elif holder is not None:
                row.action, row.target_id = Action.LINK, holder[0]
            else:
                row.action = Action.CREATE
                probes.append(row)
        if probes:
            matcher = self._matcher(ctx)
            for row, found in zip(
                probes, matcher.matches([probe_of(row.values["client"]) for row in probes]), strict=True
            ):
                row.candidates = [
                    Candidate(match.client.id, _label(match.client), match.score, tuple(str(r) for r in match.reasons))
                    for match in found
                ]

    def _matcher(self, ctx):
        """The import's name index, loaded on first use."""
        if "clients.matcher" not in ctx.state:
            ctx.state["clients.matcher"] = BatchMatcher(ctx.agency.id, exclude=_created_by(ctx.job))
        return ctx.state["clients.matcher"]

    # ------------------------------------------------------------------ writing

    def apply(self, ctx, rows):
        """Inserts the new clients (Core, one statement per table) and updates the changed ones."""
        created = [row for row in rows if row.action == Action.CREATE]
        if created:
            self._create(ctx, created)
        for row in rows:
            if row.action == Action.UPDATE:
                self._update(row)

    def _create(self, ctx, rows):
        """One INSERT … RETURNING for the clients, then their name words and categories."""
        values = [{**row.values["client"], "agency_id": ctx.agency.id, "created_by_id": ctx.actor.id} for row in rows]
        ids = insert_returning_ids(Client, values)
        tokens, holdings = [], []
        for row, client_id in zip(rows, ids, strict=True):
            row.target_id = client_id
            clean = row.values["client"]
            words = name_tokens(*all_names(clean["full_name"], clean["aliases"]))
            tokens.extend(
                {"agency_id": ctx.agency.id, "token": token, "client_id": client_id} for token in sorted(words)
            )
            holdings.extend(
                {"client_id": client_id, "category_id": cid, "since": since} for cid, since in row.values["categories"]
            )
        if tokens:
            db.session.execute(ClientNameToken.__table__.insert(), tokens)
        if holdings:
            db.session.execute(ClientCategory.__table__.insert(), holdings)

    def _update(self, row):
        """Updates a client imported before from this source key, as the registry's update does."""
        client = db.session.get(Client, row.target_id)
        if client is None or client.merged_into_id is not None:
            row.target_id = client.merged_into_id if client is not None else None
            client = db.session.get(Client, row.target_id) if row.target_id else None
        if client is None:
            row.error(None, _("Klien yang dulu diimpor dari baris ini sudah tidak ada."))
            return
        # Read before changing anything: loading the holdings would flush the change and move the version twice.
        held = {(entry.category_id, entry.since): entry.until for entry in client.categories}
        for category_id, since in row.values["categories"]:
            held.setdefault((category_id, since), None)
        for name, value in row.values["client"].items():
            setattr(client, name, value)
        entries = [{"category_id": cid, "since": since, "until": until} for (cid, since), until in held.items()]
        _set_categories(client, entries)
        flush_client()
        reindex(client)
        db.session.flush()


def _label(client):
    """A candidate as the report shows it: the name (masked for those who may not see names)."""
    return client.full_name


def _identity(ctx, row, column, check):
    """The digits of a NIK or KK number cell (None when blank or refused), checked as the registry does."""
    value = row.cell(column)
    if not value:
        return None
    result = (
        check(value, lookup=ctx.region_lookup)
        if check is check_kk_number
        else check(value, lookup=ctx.region_lookup, today=ctx.today)
    )
    for message in result.errors:
        row.error(column, message)
    return result.digits if result.valid else None


def _region_texts(rows):
    """The region cells of ``rows`` and the region codes their NIK and KK numbers start with (to load at once)."""
    for row in rows:
        yield row.cell("domicile_region")
        yield row.cell("origin_region")
        for column in ("nik", "kk_number"):
            digits = re.sub(r"\D", "", row.cell(column))
            if len(digits) == NUMBER_LENGTH:
                yield from (digits[:2], f"{digits[:2]}.{digits[2:4]}", f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}")


def _created_by(job):
    """Ids of the clients ``job`` created (in the batches before a resume): rows of the same file, not duplicates.

    The dry run compared each row with the registry as it was, so the import does too.
    """
    if job is None or job.confirmed_at is None:
        return set()
    select = (
        sa.select(ImportKey.record_id)
        .join(Client, Client.id == ImportKey.record_id)
        .where(ImportKey.job_id == job.id, ImportKey.record_type == "clients", Client.created_at >= job.confirmed_at)
    )
    return set(db.session.scalars(select))


def _nik_holders(agency_id, niks):
    """{nik: (client id, name)} of the agency's clients holding one of ``niks``."""
    wanted = sorted({nik for nik in niks if nik})
    found = {}
    for start in range(0, len(wanted), 500):
        select = sa.select(Client.nik, Client.id, Client.full_name).where(
            Client.agency_id == agency_id, Client.nik.in_(wanted[start : start + 500])
        )
        found.update((nik, (client_id, name)) for nik, client_id, name in db.session.execute(select))
    return found


CLIENTS = register(ClientsType())
