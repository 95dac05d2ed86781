"""Field findings by TKSK/PSM volunteers and complaints from the public, their triage queue and figures."""
