"""Dashboards per role: trends by month, figures by district and by SPM service type, drawn as SVG on the server."""
