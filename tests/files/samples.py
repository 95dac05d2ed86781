"""Real files to upload: photos made with Pillow (one with EXIF GPS), a PDF, and things that are neither."""

import io
from pathlib import Path

import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from casework.extensions import db
from casework.files.models import StoredFile

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# Rotated 90° clockwise when shown: the camera was held upright.
ROTATE_CW = 6
# A minimal PDF with one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
# The start of a Windows executable (MZ header, PE offset).
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00"


def image_bytes(fmt="JPEG", size=(40, 30), exif=None):
    """A small photo in ``fmt``, with ``exif`` when given."""
    out = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **options)
    return out.getvalue()


def jpeg_with_gps(size=(40, 30)):
    """A JPEG carrying where it was taken (Jakarta) and the camera's orientation, as phones write them."""
    exif = Image.Exif()
    exif[ORIENTATION] = ROTATE_CW
    exif[0x010F] = "KameraUji"
    exif[GPS_IFD] = {1: "S", 2: (6.0, 12.0, 30.5), 3: "E", 4: (106.0, 49.0, 10.2)}
    data = image_bytes("JPEG", size, exif)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the sample must carry GPS"
    return data


def stored_count():
    """How many stored-file rows exist."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(StoredFile))


def files_on_disk(app):
    """The stored files under FILES_PATH (temporary names included)."""
    return sorted(path for path in Path(app.config["FILES_PATH"]).rglob("*") if path.is_file())


def multipart(field, data, name="foto.jpg", **fields):
    """Request arguments for a multipart body with ``data`` as the file ``field``, plus text ``fields``.

    Encoded in memory: the test client's own encoder spools bodies over 500 KB
    to a temporary file that it never closes.
    """
    boundary, body = encode_multipart({field: FileStorage(io.BytesIO(data), name), **fields})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}
