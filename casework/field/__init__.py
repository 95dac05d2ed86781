"""The installable field app (PWA) for caseworkers and volunteers: shell page, manifest, service worker."""
