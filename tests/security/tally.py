"""Counters the security tests fill in and the run's summary prints."""

from collections import Counter

COUNTS = Counter()


def lines():
    """The summary lines for whatever was counted in this run."""
    out = []
    if COUNTS["cells"]:
        out.append(
            f"authorisation matrix: {COUNTS['cells']} cells checked over {COUNTS['routes']} route×method pairs "
            f"({COUNTS['scoped']} with a record in the URL), roles × scopes per pair"
        )
    if COUNTS["examples"]:
        out.append(f"schemathesis: {COUNTS['examples']} API calls over {COUNTS['operations']} operations")
    return out
