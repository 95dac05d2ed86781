"""Getting data out: any list of the app as a streamed CSV or XLSX file (``stream``, ``lists``), masked by role."""
