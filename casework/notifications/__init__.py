"""In-app notifications: a row per recipient per timeline event, derived from the event's kind by rules."""
