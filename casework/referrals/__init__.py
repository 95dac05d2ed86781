"""Referrals (*rujukan*): a case's client handed to a unit, a partner or another agency, gated by a supervisor."""
