"""The agency and its units: divisions, branch offices, panti, shelters and partner organisations."""
