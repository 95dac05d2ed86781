"""Storing uploads: type by content, photos cleaned of EXIF and shrunk, refusals in Indonesian, no orphans."""

import io

import pytest
from PIL import Image

from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.files import storage
from casework.files.services import PHOTOS, FileTooLarge, clean_name, store_upload
from tests.admin.helpers import audit_rows
from tests.files.samples import (
    EXECUTABLE,
    GPS_IFD,
    HTML,
    PDF,
    files_on_disk,
    image_bytes,
    jpeg_with_gps,
    stored_count,
)


def stored_bytes(stored):
    """What is on disk for ``stored``."""
    return storage.path_of(stored.storage_key).read_bytes()


def test_a_photo_is_stored_without_exif_or_gps_and_upright(app, agency, caseworker):
    stored = store_upload(agency, caseworker, jpeg_with_gps(), filename="IMG_2026 Budi.jpg")
    data = stored_bytes(stored)
    image = Image.open(io.BytesIO(data))
    assert (stored.content_type, image.format) == ("image/jpeg", "JPEG")
    assert dict(image.getexif()) == {} and not image.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in data and b"KameraUji" not in data
    # The camera said "rotate 90°": the stored pixels are turned, since the tag that said so is gone.
    assert image.size == (30, 40)
    assert (stored.size_bytes, stored.original_name, len(stored.sha256)) == (len(data), "IMG_2026 Budi.jpg", 64)
    [row] = audit_rows("file.stored")
    assert row.details == {"content_type": "image/jpeg", "size_bytes": len(data)}


def test_large_photos_are_shrunk_to_the_longest_edge(app, agency, caseworker):
    stored = store_upload(agency, caseworker, image_bytes("PNG", size=(3200, 1000)), filename="x.png")
    assert Image.open(io.BytesIO(stored_bytes(stored))).size == (1600, 500)


def test_the_type_comes_from_the_content_not_the_name(app, agency, caseworker):
    stored = store_upload(agency, caseworker, image_bytes("PNG"), filename="surat/../scan.pdf")
    assert (stored.content_type, stored.original_name) == ("image/png", "scan.png")
    webp = store_upload(agency, caseworker, image_bytes("WEBP"), filename="foto.jpg")
    assert (webp.content_type, webp.original_name) == ("image/webp", "foto.webp")


def test_a_pdf_is_kept_as_sent(app, agency, caseworker):
    stored = store_upload(agency, caseworker, PDF, filename="Surat Keterangan.PDF")
    assert (stored.content_type, stored.original_name) == ("application/pdf", "Surat Keterangan.pdf")
    assert stored_bytes(stored) == PDF


@pytest.mark.parametrize(
    ("data", "kinds", "message"),
    [
        (HTML, None, "Jenis berkas tidak didukung. Unggah foto (JPEG, PNG atau WebP) atau dokumen PDF."),
        (EXECUTABLE, None, "Jenis berkas tidak didukung. Unggah foto (JPEG, PNG atau WebP) atau dokumen PDF."),
        (b"Nama: Budi\nNIK: 3275010101900001\n", None, "Jenis berkas tidak didukung."),
        (PDF, PHOTOS, "Berkas ini bukan foto yang dapat dibaca. Unggah foto JPEG, PNG atau WebP."),
        # A photo cut short in transfer cannot be decoded.
        (image_bytes("JPEG", size=(400, 300))[:300], None, "Jenis berkas tidak didukung."),
        (b"", None, "Pilih berkas untuk diunggah."),
    ],
)
def test_anything_else_is_refused_in_indonesian_and_nothing_is_kept(app, agency, caseworker, data, kinds, message):
    before = files_on_disk(app)
    options = {"kinds": kinds} if kinds else {}
    with pytest.raises(ValidationFailed) as refused:
        store_upload(agency, caseworker, data, filename="lampiran.jpg", field="attachment", **options)
    assert refused.value.fields["attachment"][0].startswith(message)
    assert stored_count() == 0 and files_on_disk(app) == before


def test_too_large_a_file_is_a_413_refusal(app, agency, caseworker, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    with pytest.raises(FileTooLarge) as refused:
        store_upload(agency, caseworker, PDF + b"\0" * (1024 * 1024), filename="besar.pdf")
    assert refused.value.status == 413
    assert refused.value.fields == {"file": ["Berkas yang dikirim terlalu besar. Ukuran paling besar 1 MB."]}
    assert stored_count() == 0


def test_files_of_a_rolled_back_transaction_are_deleted_and_committed_ones_kept(app, agency, caseworker):
    db.session.commit()  # keeps the agency and user through the rollback below
    dropped = storage.path_of(store_upload(agency, caseworker, PDF, filename="a.pdf").storage_key)
    assert dropped.exists()
    db.session.rollback()
    assert not dropped.exists()
    kept = storage.path_of(store_upload(agency, caseworker, PDF, filename="b.pdf").storage_key)
    db.session.commit()
    db.session.rollback()
    assert kept.exists()


def test_files_live_outside_static_under_keys_made_of_ids(app, agency, caseworker):
    stored = store_upload(agency, caseworker, PDF, filename="../../static/x.html")
    path = storage.path_of(stored.storage_key)
    assert path.is_relative_to(app.config["FILES_PATH"]) and "static" not in path.parts
    assert stored.storage_key == f"{agency.id}/{stored.uuid.hex[:2]}/{stored.uuid.hex}"
    assert not [p for p in files_on_disk(app) if p.name.startswith(".upload-")]


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("C:\\Users\\budi\\Foto KTP.jpeg", "Foto KTP.jpg"),
        ("<script>.png", "script.jpg"),
        ("", "berkas.jpg"),
        (None, "berkas.jpg"),
        ("a" * 300 + ".jpg", "a" * 190 + ".jpg"),
    ],
)
def test_file_names_are_cleaned(app, name, cleaned):
    assert clean_name(name, ".jpg") == cleaned
