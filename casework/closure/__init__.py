"""Closing a case: a proposal (outcome, date, notes, aftercare) that a supervisor approves or rejects; reopening."""
