"""Family tracing (penelusuran keluarga), reunification and follow-up visits after it."""
