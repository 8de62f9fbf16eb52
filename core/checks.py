"""System checks of the deployment (`manage.py check --deploy`; allowed hosts on every check)."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host

# Caches whose entries only the process that wrote them sees.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Production runs several processes (gunicorn's workers, Celery's): what they count together
    (API throttles, login and password change failures, password reset requests) and what a
    worker tells a page (import progress) live in the cache, which must be one they share."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PROCESS_LOCAL_CACHES:
        return []
    return [
        Warning(
            "The cache is local to each process (CACHE_URL is unset or names one), so with "
            "DEBUG off each gunicorn and Celery process keeps its own API throttles, login "
            "failure counts and import progress.",
            hint="Set CACHE_URL to a cache every process shares, e.g. redis://redis:6379/1.",
            id="core.W001",
        )
    ]


@register(Tags.compatibility, deploy=True)
def task_queue_check(app_configs, **kwargs):
    """Without a broker every task runs inline, inside the web request that asked for it: right
    for one person's machine, not for a site whose imports and sweeps outlast a request."""
    if settings.DEBUG or not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return []
    return [
        Warning(
            "Tasks run inline (CELERY_BROKER_URL is unset), so with DEBUG off background "
            "imports, coverage recomputes and suggestion jobs run inside web requests, past "
            "gunicorn's timeout, and no beat sweeps what a stopped request left.",
            hint="Set CELERY_BROKER_URL (e.g. redis://redis:6379/0) and run a Celery worker and "
            "beat, as the README's Production and workers says.",
            id="core.W002",
        )
    ]


@register(Tags.security)
def allowed_hosts_check(app_configs, **kwargs):
    """DJANGO_ALLOWED_HOSTS takes host names. An origin (https://curricula.example.org, as
    DJANGO_CSRF_TRUSTED_ORIGINS takes), a path or a port matches no request's host, so every
    request for it is answered 400 while the deploy checks said nothing."""
    wrong = [
        host
        for host in settings.ALLOWED_HOSTS
        if not (host.startswith("[") and host.endswith("]")) and re.search(r"[:/\s]", host)
    ]
    return [
        Warning(
            f"DJANGO_ALLOWED_HOSTS holds {host!r}, which is not a host name: no request's "
            "host matches it, so every request for it is answered 400.",
            hint=f"Give the host name alone: {_host_name(host)}.",
            id="core.W003",
        )
        for host in wrong
    ]


@register(Tags.security, deploy=True)
def wildcard_hosts_check(app_configs, **kwargs):
    """A wildcard in DJANGO_ALLOWED_HOSTS ("*", or ".example.org" for every subdomain) lets a
    request name a host the site does not own, or one another tenant of the domain owns, in
    its Host header. Django trusts the host it let in: the redirects, Location headers and the
    API's next-page links it builds, and the cache keys of pages that vary by host, then carry
    it (Host header poisoning). Django's own deploy checks say nothing of it."""
    wildcards = [host for host in settings.ALLOWED_HOSTS if host == "*" or host.startswith(".")]
    return [
        Warning(
            f"DJANGO_ALLOWED_HOSTS holds the wildcard {host!r}: a request may then name in its "
            "Host header a host this site does not own, and links and redirects built from the "
            "request point there (Host header poisoning).",
            hint="List each host name the site is served at instead, e.g. "
            "curricula.example.org,www.curricula.example.org.",
            id="core.W004",
        )
        for host in wildcards
    ]


@register(Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """SITE_URL is the address the site is served at: password reset mails link to it, and CASE
    URIs and the API schema's server are made from it while CASE_BASE_URL and API_SERVER_URL
    are unset. Left unset in production it is the development address, http://127.0.0.1:8000,
    so every reset link pointed at the reader's own machine and every CASE identifier
    published was minted under it, while the deploy checks said nothing. A host the site
    serves (DJANGO_ALLOWED_HOSTS) is taken as the site's: `make prod` serves 127.0.0.1."""
    if settings.DEBUG:
        return []
    host = urlsplit(settings.SITE_URL).hostname
    if host and validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}, whose host is not in DJANGO_ALLOWED_HOSTS: "
            "password reset mails link there, and CASE URIs and the API schema's server are "
            "made from it unless CASE_BASE_URL and API_SERVER_URL say otherwise.",
            hint="Set SITE_URL to the address the site is served at, e.g. "
            "https://curricula.example.org.",
            id="core.W005",
        )
    ]


@register(Tags.compatibility, deploy=True)
def email_url_check(app_configs, **kwargs):
    """EMAIL_URL left unset in production is smtp://localhost:25: with no mail server on the
    machine (a container has none) every password reset mail failed, each with only an ERROR
    line in the log (the page answers as for any address, by design), while the deploy checks
    said nothing. One set to that address, a machine that runs its own server, is no warning."""
    if settings.DEBUG or getattr(settings, "EMAIL_URL_SET", True):
        return []
    return [
        Warning(
            "EMAIL_URL is unset, so with DEBUG off mail is sent to an SMTP server on this "
            "machine (smtp://localhost:25): with none there, no password reset mail leaves, "
            "and only an ERROR line in the log says so.",
            hint="Set EMAIL_URL to the mail server the site sends through, e.g. "
            "smtp+tls://<user>:<password>@smtp.example.edu:587 (or smtp://localhost:25 where "
            "this machine runs one).",
            id="core.W006",
        )
    ]


def _host_name(entry: str) -> str:
    return (urlsplit(entry if "//" in entry else f"//{entry}").hostname or entry).strip()
