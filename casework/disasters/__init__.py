"""Disaster response: events, evacuation sites, fast registration of households, assistance, SPM type 5."""
