"""Administration: the agency, its units and partner organisations, and user accounts."""
