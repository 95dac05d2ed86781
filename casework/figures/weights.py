"""The agency's SPM index weights, as the agency settings page checks them (kept apart: admin imports it)."""

from flask_babel import gettext as _

# The agency's settings that weigh the SPM index (casework.figures.spm), in percent.
WEIGHT_FIELDS = ("spm_weight_recipients", "spm_weight_quality")


def checked_weights(problems, values):
    """The SPM index weights in ``values``: whole percentages that add up to 100 (problems noted otherwise)."""
    clean = {}
    for name in WEIGHT_FIELDS:
        raw = str(values.get(name) if values.get(name) is not None else "").strip()
        clean[name] = int(raw) if raw.isascii() and raw.isdigit() and int(raw) <= 100 else None
        if clean[name] is None:
            problems.add(name, _("Isi bobot 0 sampai 100."))
    if None not in clean.values() and sum(clean.values()) != 100:
        problems.add(WEIGHT_FIELDS[1], _("Bobot penerima dan bobot mutu harus berjumlah 100."))
    return clean
