"""gunicorn's settings, read by `gunicorn competency_site.wsgi` started from the repository's
root (the Procfile, `make prod`, the README's processes).

Whether a request came over HTTPS is the Django settings' to say (DJANGO_TRUSTED_PROXIES,
DJANGO_TRUST_X_FORWARDED_PROTO: SECURE_PROXY_SSL_HEADER). gunicorn's own default took a request
from 127.0.0.1 or a Unix socket for an HTTPS one when it said so in X-Forwarded-Proto,
X-Forwarded-Ssl or X-Forwarded-Protocol, whatever those settings said: behind a proxy on the same
machine that passes the client's header on, any client escaped the HTTPS redirect.
"""

secure_scheme_headers: dict[str, str] = {}
