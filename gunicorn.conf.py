"""gunicorn's settings, read by `gunicorn competency_site.wsgi` started from the repository's
root (the Procfile, `make prod`, the README's processes).

Whether a request came over HTTPS is the Django settings' to say (DJANGO_TRUSTED_PROXIES,
DJANGO_TRUST_X_FORWARDED_PROTO: SECURE_PROXY_SSL_HEADER). gunicorn's own default took a request
from 127.0.0.1 or a Unix socket for an HTTPS one when it said so in X-Forwarded-Proto,
X-Forwarded-Ssl or X-Forwarded-Protocol, whatever those settings said: behind a proxy on the same
machine that passes the client's header on, any client escaped the HTTPS redirect.
"""

secure_scheme_headers: dict[str, str] = {}

limit_request_line = 8190
"""gunicorn's most (its default, 4,094 bytes, refused a page address the site reads and links
to, with gunicorn's own plain 400 before Django saw it): a request line of up to 8,190 bytes,
"GET <path>?<query> HTTP/1.1", holds any page path with a query of PAGE_QUERY_MAX_CHARS
(core.middleware), past which Django answers 400 in a sentence in the reader's language."""
