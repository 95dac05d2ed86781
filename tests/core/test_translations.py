"""The English catalogue covers every UI string, and compiles."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "casework" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def source_messages():
    """Every msgid the code and templates pass through the translation layer."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    # ``_l`` is the project's alias for lazy_gettext (form labels, enum labels).
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_ui_string_has_an_english_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id and m.string}
    missing = sorted(source_messages() - translated)
    assert missing == [], "run `make update-translations` and translate:\n" + "\n".join(missing)


def test_catalogue_has_no_fuzzy_or_obsolete_entries():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    assert [m.id for m in catalogue if m.id and m.fuzzy] == []
    assert list(catalogue.obsolete) == []
