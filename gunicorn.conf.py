"""gunicorn settings read from the working directory (``gunicorn wsgi:app`` finds this file by itself).

Only the access log's line format is set here. The default format logs the
request line (``%(r)s``, with its query string) and the referrer
(``%(f)s``): a search such as ``/clients/?q=Siti`` or ``?q=<NIK>`` would put
personal data into the log. This format keeps the path without the query
string, so turning the access log on (``--access-logfile -``) stays safe.
"""

# address, time, "method path protocol", status, bytes, seconds, user agent
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s "%(a)s"'
