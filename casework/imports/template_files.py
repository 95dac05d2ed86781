"""Template files of a record type: XLSX (data sheet, "Kode" sheet of allowed codes, "Petunjuk" sheet) or CSV."""

import csv
import io

from flask_babel import gettext as _
from openpyxl import Workbook

from casework.imports.codes import code_lists


def _headers(record_type):
    """The Indonesian headers, a required column marked with "*"."""
    return [f"{column.header}{' *' if column.required else ''}" for column in record_type.columns]


def xlsx_template(record_type, agency):
    """The XLSX template: the data sheet (named for the type) with one example row, "Kode", "Petunjuk"."""
    book = Workbook(write_only=True)
    data = book.create_sheet(record_type.name)
    data.append(_headers(record_type))
    data.append([column.example for column in record_type.columns])
    codes = book.create_sheet(_("Kode"))
    for title, pairs in code_lists(record_type, agency):
        codes.append([title])
        codes.append([_("Kode"), _("Arti")])
        for code, meaning in pairs:
            codes.append([code, meaning])
        codes.append([])
    guide = book.create_sheet(_("Petunjuk"))
    guide.append([_("Kolom"), _("Nama teknis"), _("Wajib"), _("Keterangan"), _("Daftar kode"), _("Contoh")])
    for column in record_type.columns:
        guide.append(
            [
                str(column.header),
                column.id,
                _("ya") if column.required else _("tidak"),
                str(column.help or ""),
                column.codes or "",
                column.example,
            ]
        )
    guide.append([])
    guide.append([_("Tanggal: HH/BB/TTTT (17/08/2024), TTTT-BB-HH, atau sel tanggal Excel.")])
    guide.append([_("Baris yang sama (kode sumber sama) yang diimpor ulang tidak menggandakan data.")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_template(record_type):
    """The CSV template: the header (Indonesian) and one example row, UTF-8 with a byte-order mark for Excel."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(_headers(record_type))
    writer.writerow([column.example for column in record_type.columns])
    return ("\ufeff" + out.getvalue()).encode()
