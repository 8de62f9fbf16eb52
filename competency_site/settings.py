"""Settings for the competency-to-curriculum mapping site.

One module, driven by the environment (django-environ). With nothing set, it gives the embedded
development setup: a SQLite file in the repository and Celery tasks run inline. Production sets
DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis).
"""

from datetime import timedelta
from pathlib import Path

import orjson
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from competency_site.environment import Env

BASE_DIR = Path(__file__).resolve().parent.parent

env = Env()
Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# A development key is only acceptable while DEBUG is on; production must bring its own.
_DEV_SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = _DEV_SECRET_KEY

# Set but empty, read as unset (competency_site.environment): an empty list allowed no host.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The address the site is served at, which CASE_BASE_URL and API_SERVER_URL default to: `make run`
# and `make prod` pass the one they serve at (PORT), so CASE URIs and the schema's server name it.
SITE_URL = (env.str("SITE_URL", default="") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "core.apps.AdminConfig",  # Django's admin, with the project's site (core.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "core.apps.AxesConfig",  # django-axes, named in the page's language
    "csp",
    "core",
    "positions",
    "certifications",
    "curricula",
    "suggestions",
    "audit",
]

MIDDLEWARE = [
    # Before anything else: a load balancer's probe of /health/ comes by the machine's address over
    # plain HTTP, which the host check and the HTTPS redirect would refuse (core.health).
    "core.health.HealthCheckMiddleware",
    # First: marks the request being served, in which authenticate() must be given it
    # (competency_site.accounts.LockoutBackend).
    "core.logins.RequestCycleMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that can answer a request, so that every API answer carries CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # WhiteNoise's, ignoring a future If-Modified-Since as the pages do.
    "core.middleware.WhiteNoiseMiddleware",
    # Compresses after ConditionalGetMiddleware has tagged and compared the uncompressed body.
    "core.api.middleware.ApiGZipMiddleware",
    # Outside ConditionalGetMiddleware, so that its 304s get the caching headers too.
    "core.api.middleware.ApiResponseHeadersMiddleware",
    # Django's ConditionalGetMiddleware, tagging a HEAD as its GET.
    "core.middleware.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Pages' times in the reader's zone (core.times), before any view renders one.
    "core.middleware.ReaderTimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses an admin query string the changelists would fail on (a NUL, a year 99999999).
    "core.middleware.AdminQueryMiddleware",
    # Inside the session middleware: reading the user marks the answer Vary: Cookie.
    "core.middleware.PrivatePagesMiddleware",
    # Inside PrivatePagesMiddleware, so that its 400 is stored by no cache, and after
    # LocaleMiddleware, so that it is said in the reader's language.
    "core.middleware.PageQueryLengthMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Gives a browser that has just logged in the cookie that exempts it from its account's
    # pause (core.logins).
    "core.logins.KnownLoginMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the lockout page.
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "competency_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "curricula.context_processors.paper",
            ],
        },
    },
]

WSGI_APPLICATION = "competency_site.wsgi.application"

# An unset or empty DATABASE_URL means the embedded default: a SQLite file in the repository.
_DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# django-environ reads a URL of a scheme it does not know as a backend of that name, and one
# without a scheme as no backend at all (a KeyError: 'ENGINE' below). The value is not quoted:
# it may hold the database's password.
# Only the two databases the project runs on: another (mysql://) failed at the first query for
# want of its driver ("Error loading MySQLdb module"), naming no variable.
_SUPPORTED_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
if (
    "://" not in _DATABASE_URL
    or Env.DB_SCHEMES.get(_DATABASE_URL.split("://", 1)[0]) not in _SUPPORTED_ENGINES
):
    raise ImproperlyConfigured(
        "DATABASE_URL cannot be read: it must be a PostgreSQL or SQLite URL such as "
        "postgres://user@host:5432/name or sqlite:///path/to/file.sqlite3."
    )
DATABASES = {"default": env.db_url_config(_DATABASE_URL)}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles any query its planner over-estimates: the overview's 300-row
    # query (estimated at 57k rows) spent 1.4 s compiling for 15 ms of work. The app runs short
    # queries only, for which JIT never pays; DATABASE_JIT=true turns it back on.
    if not env.bool("DATABASE_JIT", default=False):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()

# The longest a web request's query may run, in milliseconds, waiting for a lock included; then
# PostgreSQL cancels it and the site answers 503 with Retry-After (core.errors). Below gunicorn's
# worker timeout (30 s), which would otherwise end a request blocked on a lock with an empty
# reply. 0: none. Web processes only (competency_site.databases, called by competency_site.wsgi
# and .asgi): Celery workers and management commands run imports and recomputes for longer.
# SQLite has no such setting (its writers wait up to SQLITE_OPTIONS' timeout).
DATABASE_STATEMENT_TIMEOUT = env.int("DATABASE_STATEMENT_TIMEOUT", default=25000)
if DATABASE_STATEMENT_TIMEOUT < 0:
    raise ImproperlyConfigured(
        f"DATABASE_STATEMENT_TIMEOUT={DATABASE_STATEMENT_TIMEOUT} cannot be read: it must be a "
        "whole number of milliseconds, 0 for none."
    )

# The embedded default serves a few people at once. A transaction takes SQLite's write lock when
# it begins (IMMEDIATE) and waits up to 20 s for it: with SQLite's default (DEFERRED) a save that
# had read first could not get the lock while another save was writing, and failed at once with
# "database is locked" (two staff saving the map, or deciding suggestions, at the same moment).
# Write-ahead logging lets pages read while a long import writes.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.time_zone("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Uploaded files (import jobs' files under imports/) are kept outside the repository: var/ is
# git-ignored; production points DJANGO_MEDIA_ROOT at a volume. Nothing here is served.
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Uploaded import files are deleted this many days after upload (`manage.py
# purge_import_uploads`, run daily by beat); the jobs keep their reports.
IMPORT_UPLOAD_RETENTION_DAYS = env.int("IMPORT_UPLOAD_RETENTION_DAYS", default=30)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# django-axes first: it refuses a locked-out client before any password is checked.
AUTHENTICATION_BACKENDS = [
    "competency_site.accounts.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- Security (production) ---------------------------------------------------------------
# With DEBUG off every protection below is on by default, so `manage.py check --deploy` is clean;
# each can be turned off from the environment for a plain-HTTP run on one's own machine
# (`make prod` does that), never by editing this file.
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True) and not DEBUG
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A refused form says why in the site's own page and the reader's language (Django's is for its
# developer).
CSRF_FAILURE_VIEW = "competency_site.csrf.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
# The language switch's cookie as the others: no script reads it.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Database sessions that read only a key Django could have made (core.sessions).
SESSION_ENGINE = "core.sessions"
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A change set of the map posts up to 5,000 cells (curricula.selectors.maps.CHANGE_SET_MAX_CELLS),
# each with the level its editor showed: Django's default of 1,000 fields refused a pasted block of
# 500 cells before the map could say what it allows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_100
# Content-Security-Policy (django-csp) on every answer: scripts, fonts, frames and connections
# from this site only; no plugins, no framing, forms post back here. Styles may be inline:
# ReDoc builds its styles at run time (styled-components), htmx adds its indicator style and the
# coverage bars set their widths in style attributes; no script can run from them. Images may
# be data: URIs (Swagger UI's icons). ReDoc's search runs in a worker made from a blob: URL.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# How many proxies in front of gunicorn append to X-Forwarded-For (0: none, the header is ignored
# and the socket's address is the client). The API throttles and the login lockout count per
# client address (core.http.client_address), so a client must not be able to choose it.
TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=0)
# TLS usually ends at the proxy in front of gunicorn, which says so in X-Forwarded-Proto. The
# header is believed only when the operator says such a proxy is there (by default, when there
# are trusted proxies): with none, any client could write it and be taken for an HTTPS one,
# escaping SECURE_SSL_REDIRECT and receiving the secure cookies over plain HTTP.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=TRUSTED_PROXIES > 0)
    else None
)

# --- Logins and password reset ---------------------------------------------------------------
# django-axes on every login form (the site's and the admin's) and both password change pages
# (a wrong old password counts as a failed login): after AXES_FAILURE_LIMIT wrong passwords from
# one client address, at any of them together, logins and password changes from it are refused
# (429) for AXES_COOLOFF_MINUTES; a right password clears the count. Attempts are listed in the
# admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15.0))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
# Failures for one account, from any address, before its logins are paused for the same
# cool-off, except from browsers that have logged in to it before (core.logins).
LOGIN_ACCOUNT_FAILURE_LIMIT = env.int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=10)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# django-axes' database handler, except that a login refused by its account's pause (the
# password unread) is no failure of the client's address.
AXES_HANDLER = "competency_site.accounts.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
# Failures and lockouts are logged (WARNING, logger "axes") with the client's address, which is
# what an operator blocks; the username stays masked (people type passwords into it).
# The password change pages count wrong old passwords here too: their fields are masked as well.
AXES_SENSITIVE_PARAMETERS = ["username", "old_password", "new_password1", "new_password2"]
# Password reset mails sent per client address and per address asked for.
PASSWORD_RESET_RATE = env.rate("PASSWORD_RESET_RATE", default="5/hour")

# Mail (password reset) from EMAIL_URL, e.g. smtp+tls://<user>:<password>@smtp.example.edu:587;
# in development it is printed on the console. Unset or empty in production, an SMTP server on
# this machine, which `check --deploy` warns of (core.checks, EMAIL_URL_SET: whether it was set,
# not the address, whose password a settings dump would show).
EMAIL_URL_SET = bool(env.str("EMAIL_URL", default=""))
EMAIL_CONFIG = env.url_config(
    "EMAIL_URL",
    env.email_url_config,
    default="consolemail://" if DEBUG else "smtp://localhost:25",
)
vars().update(EMAIL_CONFIG)
# Seconds the SMTP connection waits for the mail server (to connect, then for each answer). With
# none, a server that took the connection and said nothing held a password reset request until
# gunicorn killed its worker (30 s), and the reader got gunicorn's bare error page; past this,
# the failure is logged and the page answers as for any address.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
if EMAIL_TIMEOUT <= 0:
    raise ImproperlyConfigured(
        f"EMAIL_TIMEOUT={EMAIL_TIMEOUT} cannot be read: it must be a whole number of seconds "
        "above 0."
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- REST framework ----------------------------------------------------------------------
API_REQUIRE_AUTH = env.bool("API_REQUIRE_AUTH", default=False)
REST_FRAMEWORK = {
    # Token first: its challenge (WWW-Authenticate: Token) makes a missing or bad credential a 401;
    # DRF answers 403 when the first class has no challenge to send, as sessions have not.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Counts, throttles (API_AUTH_FAILURE_RATE) and logs wrong tokens.
        "core.api.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON bodies only; the one upload (POST /imports/) declares multipart itself.
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.StaffModelPermissionsOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        # First: a parameter no list takes is refused before the others read theirs.
        "core.api.filters.KnownQueryParametersFilter",
        "core.api.filters.StrictFilterBackend",
        "core.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.AnonRateThrottleExceptStaff"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.rate("API_ANON_THROTTLE_RATE", default="600/minute"),
        "auth_failure": env.rate("API_AUTH_FAILURE_RATE", default="20/minute"),
        # Background jobs each user may start (generation, recompute, imports), all doors together.
        "jobs": env.rate("API_JOB_THROTTLE_RATE", default="60/hour"),
    },
    "NUM_PROXIES": TRUSTED_PROXIES,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # A download answers its file or a 406, never the file to a client that refused it.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.negotiation.ContentNegotiation",
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.JSONRenderer",
        "core.api.renderers.BrowsableAPIRenderer",
    ],
    # As DRF's own renderer writes them: UTC as "Z", integer keys as strings.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_UTC_Z, orjson.OPT_NON_STR_KEYS),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Competency-to-curriculum mapping API",
    "DESCRIPTION": (
        "Positions and their ability requirements, courses and the abilities they build, "
        "programmes and their coverage gaps. A write's body (JSON, or an upload's form) takes "
        "the keys its request schema names; the read-only ones a resource answers with may be "
        "sent back and are ignored, and any other key is a 400 naming it: "
        '`{"levle": ["Unknown key: this body takes ..."]}`. Every operation takes the query '
        "parameters it names, and `format` and a cache-busting `_`: any other is a 400 naming "
        'it, `{"name": ["Unknown query parameter: this list takes ..."]}` (on a list or an '
        "export; `this request takes ...` on any other operation). "
        "`after_id` pages in a sync's own order: with `ordering`, a 400."
    ),
    "VERSION": "1.0.0",
    # 3.1: a nullable object is `oneOf: [object, {type: null}]`, which generators read right
    # (3.0's `nullable` beside an `allOf` is ambiguous and Redocly refuses it).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Tags and operation ids from what follows it: `courses`, `courses_list`.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "GET_LIB_DOC_EXCLUDES": "core.api.schema.lib_doc_excludes",
    # Served from the sidecar's static files (pinned in requirements.txt): no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The repository carries no LICENSE file yet; the deployment says what its API is under.
    "LICENSE": {
        "name": env.str("API_LICENSE_NAME", default="MIT"),
        "url": env.str("API_LICENSE_URL", default="https://opensource.org/licenses/MIT"),
    },
    "SERVERS": [
        {
            "url": env.str("API_SERVER_URL", default="") or SITE_URL,
            "description": "This deployment",
        }
    ],
    "TAGS": [
        {"name": name, "description": description}
        for name, description in (
            (
                "tracks",
                "Position types (career directions), under which positions are placed by degree "
                "level, as Table I places the paper's.",
            ),
            (
                "competency-areas",
                "Ability areas grouping a framework's abilities (the paper's five are Section "
                "III's).",
            ),
            ("frameworks", "Competency frameworks: the paper's and imported ones."),
            ("abilities", "Ability statements, in framework trees."),
            ("ability-relations", "Typed relations between abilities, or to external nodes."),
            ("levels", "The depth scale: Introduced, Reinforced, Mastered."),
            ("positions", "Positions with their placements and requirements."),
            ("requirements", "What a position requires, and how deeply."),
            ("courses", "Courses of the catalogue."),
            ("course-abilities", "Which course builds which ability, to which level."),
            (
                "certifications",
                "Professional certifications with their directions (the paper's are Table III's).",
            ),
            ("programs", "Programmes, their coverage, recommendations and what-if."),
            ("imports", "Framework imports run as background jobs."),
            ("tasks", "State and progress of background tasks."),
            ("history", "The audit trail, and reverting one change."),
            ("CASE 1.1", "The 1EdTech CASE 1.1 provider (read-only)."),
        )
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_schema",
        "curricula.case.openapi.add_case_components",
    ],
    # One name for a choice set several serializers share (a collision is a schema warning).
    "ENUM_NAME_OVERRIDES": {
        "RequirementStatusEnum": "curricula.api.coverage_serializers.STATUS_CHOICES",
        "DegreeLevelEnum": "core.models.DegreeLevel",
        "ImportanceEnum": "positions.models.Importance",
    },
}

# Max-age (seconds) of anonymous API and CASE reads; 0 = caches may keep them but must revalidate
# (a cheap 304 with the ETag).
API_CACHE_MAX_AGE = env.int("API_CACHE_MAX_AGE", default=0)

# --- CORS (django-cors-headers) ----------------------------------------------------------
# Browser applications on these origins may call /api/ and /ims/case/; none by default.
CORS_ALLOWED_ORIGINS = env.list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api|ims/case)/"
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "if-match",
    "if-modified-since",  # CASE reads answer it (a 304), as they answer If-None-Match
    "if-none-match",
    "x-csrftoken",
    "x-requested-with",
)
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Link",
    "Location",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
    "RateLimit-Policy",
    "Sync-Watermark",
    "X-Total-Count",
    "Content-Disposition",
)
CORS_PREFLIGHT_MAX_AGE = 3600

# --- CASE provider -------------------------------------------------------------------------
# Every CASE URI is minted from this base (scheme, host, optional path prefix), never from a
# request's Host or X-Forwarded-Proto headers, so identifiers stay the same behind any proxy.
CASE_BASE_URL = (env.str("CASE_BASE_URL", default="") or SITE_URL).rstrip("/")
# The organisation this site's own frameworks and course catalogue are published by (a CFDocument's
# creator and publisher); empty: the product's name, in the reader's language.
CASE_PUBLISHER = env.str("CASE_PUBLISHER", default="").strip()
# Packages with more items and associations than this are written once to CASE_PACKAGE_CACHE_DIR
# (streamed, a page of rows at a time) and served from there until their framework changes.
CASE_PACKAGE_CACHE_THRESHOLD = env.int("CASE_PACKAGE_CACHE_THRESHOLD", default=5000)
CASE_PACKAGE_CACHE_DIR = env.str(
    "CASE_PACKAGE_CACHE_DIR", default=str(BASE_DIR / "var" / "case-packages")
)

# --- Cache -------------------------------------------------------------------------------
# An unset or empty CACHE_URL means the embedded default, a cache in each process; production
# needs one every process shares (`manage.py check --deploy` warns, core.checks).
CACHES = {"default": env.url_config("CACHE_URL", env.cache_url_config, default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis restarting must not turn requests into 500s: reads miss, writes drop (core.cache).
    CACHES["default"]["BACKEND"] = "core.cache.TolerantRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 2, "socket_timeout": 2}
    )

# --- Celery ------------------------------------------------------------------------------
# Unset broker: the embedded default. Tasks run inline (eagerly) in the process that enqueues them.
CELERY_TASK_ALWAYS_EAGER = not env.str("CELERY_BROKER_URL", default="")
# Even an eager task borrows a producer from the broker's pool; with no URL Celery would name
# amqp:// and kombu log "No hostname was supplied" on every enqueue. The in-memory transport,
# named with a host, is what "no broker" means here, and is never connected to.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
# Without a broker, results (task state and progress for GET /api/v1/tasks/{id}/) live in the
# process's memory, which is where the inline tasks ran.
CELERY_RESULT_BACKEND = env.str(
    "CELERY_RESULT_BACKEND",
    default="cache+memory://" if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL,
)
CELERY_TASK_STORE_EAGER_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXTENDED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hang a request that only wants to enqueue after commit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    # Redis redelivers a task whose worker died unacknowledged (acks_late) after this many
    # seconds; it must outlast the longest task (an import's IMPORT_TIME_LIMIT, 1920 s by
    # default) or live tasks run twice.
    "visibility_timeout": 3600,
    # Overrides as JSON, e.g. a short visibility_timeout for the worker-killed test.
    **env.json_object("CELERY_BROKER_TRANSPORT_OPTIONS"),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Queues: the default one takes what a designer waits for (a recompute of the few programmes one
# edit touched, imports, suggestions); recomputes of more than COVERAGE_BATCH_SIZE programmes (a
# course shared by thousands of programmes, the sweep) go to COVERAGE_BULK_QUEUE in batches of
# that size. A worker started without -Q consumes both; give the default queue a worker of its own
# (-Q celery) when sweeps are long.
CELERY_TASK_DEFAULT_QUEUE = "celery"
COVERAGE_BULK_QUEUE = env.str("COVERAGE_BULK_QUEUE", default="coverage-bulk")
COVERAGE_BATCH_SIZE = env.int("COVERAGE_BATCH_SIZE", default=100)
CELERY_TASK_QUEUES = [
    Queue(CELERY_TASK_DEFAULT_QUEUE, routing_key=CELERY_TASK_DEFAULT_QUEUE),
    Queue(COVERAGE_BULK_QUEUE, routing_key=COVERAGE_BULK_QUEUE),
]
# The safety net for recomputes that could not be enqueued (broker down at commit time).
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-coverage": {
        "task": "curricula.sweep_stale_coverage",
        "schedule": env.float("COVERAGE_SWEEP_SECONDS", default=300.0),
    },
    # Daily at a quiet hour of the site's time zone (DJANGO_TIME_ZONE, which Celery reads as its
    # own): an interval of 24 hours counted from beat's start ran at whatever hour beat started,
    # and never where beat restarts more often than daily. 03:30 is past the hour the clocks
    # change in Europe and America.
    "purge-import-uploads": {
        "task": "positions.purge_import_uploads",
        "schedule": crontab(hour=3, minute=30),
    },
    "sweep-stuck-imports": {
        "task": "positions.sweep_stuck_imports",
        "schedule": env.float("IMPORT_SWEEP_SECONDS", default=60.0),
    },
}

# --- Imports -----------------------------------------------------------------------------
# What an import may read (core.limits): past a bound it stops, names the bound and writes nothing.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=200)
IMPORT_MAX_FILE_MB = env.int("IMPORT_MAX_FILE_MB", default=256)  # one file, unpacked
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=1024)  # an archive, unpacked
IMPORT_MAX_ENTRIES = env.int("IMPORT_MAX_ENTRIES", default=1000)  # files in an archive
IMPORT_MAX_LINE_CHARS = env.int("IMPORT_MAX_LINE_CHARS", default=1_000_000)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=2_000_000)  # lines of a file, blank included
IMPORT_MAX_JSON_DEPTH = env.int("IMPORT_MAX_JSON_DEPTH", default=64)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=256)  # of a CSV or XLSX table
# A zip member (an XLSX part, a CASE or ESCO file) unpacked past this many times its packed size
# is refused (a bomb); members under 1 MB unpacked are not held to it.
IMPORT_MAX_INFLATE_RATIO = env.int("IMPORT_MAX_INFLATE_RATIO", default=100)
# Shared strings a workbook may hold past the cells of the sheet an import reads (its other
# sheets', or strings no cell uses): openpyxl reads them all before the first row (2 rows and
# 2 million strings kept a worker 21 s and 430 MB; 14 million, minutes and 1.4 GB).
IMPORT_MAX_SPARE_STRINGS = env.int("IMPORT_MAX_SPARE_STRINGS", default=200_000)
# An import job's worker holds a lease, renewed every third of it; past it, the job is stuck and
# a redelivered task (or the sweep) takes it over, or fails it after this many attempts.
IMPORT_JOB_LEASE_SECONDS = env.int("IMPORT_JOB_LEASE_SECONDS", default=60)
IMPORT_JOB_MAX_ATTEMPTS = env.int("IMPORT_JOB_MAX_ATTEMPTS", default=2)
# A job still pending this long after its upload was never queued, or its message was lost: the
# beat sweep fails it with the reason (a backlog of imports must clear well within it).
IMPORT_JOB_PENDING_SECONDS = env.int("IMPORT_JOB_PENDING_SECONDS", default=86400)  # a day
# The same import asked for while another request is still storing its job (its upload being
# written) waits this long for that job, then is started on its own (positions.services).
IMPORT_CLAIM_WAIT_SECONDS = env.int("IMPORT_CLAIM_WAIT_SECONDS", default=10)
# The admin imports a link file with more rows than this as a background job, not in the request.
ADMIN_IMPORT_INLINE_ROWS = env.int("ADMIN_IMPORT_INLINE_ROWS", default=2000)
# The API imports a file of more rows than this (blank ones too) inside the request only with
# background (a job); without it, it refuses the file, naming background.
API_IMPORT_INLINE_ROWS = env.int("API_IMPORT_INLINE_ROWS", default=5000)
# The admin's delete confirmation names records one by one up to this many, else counts them by
# kind (a framework's thousands of abilities and links, each named, took minutes).
ADMIN_DELETE_LISTED = env.int("ADMIN_DELETE_LISTED", default=200)
IMPORT_SOFT_TIME_LIMIT = env.int("IMPORT_SOFT_TIME_LIMIT", default=1800)
IMPORT_TIME_LIMIT = env.int("IMPORT_TIME_LIMIT", default=1920)
# The admin's imports keep an upload from its preview to the confirm step in a private folder,
# under a name only they make (the library's default opens any file the form names in /tmp).
IMPORT_EXPORT_TMP_STORAGE_CLASS = "core.import_previews.ImportPreviewStorage"

# --- Link suggestions ------------------------------------------------------------------------
# How many abilities to propose per course or position; how long (seconds) a background refresh
# waits after an edit so that a burst of edits is read once; how many framework indexes each
# process keeps in memory (about 30 MB each for 14,000 abilities); the minimum level an accepted
# position suggestion requires.
SUGGESTIONS_PER_SUBJECT = env.at_least(
    "SUGGESTIONS_PER_SUBJECT", default=20, least=1, unit="suggestions"
)
SUGGESTIONS_REFRESH_DELAY = env.float("SUGGESTIONS_REFRESH_DELAY", default=10.0)
SUGGESTIONS_INDEX_CACHE_SIZE = env.int("SUGGESTIONS_INDEX_CACHE_SIZE", default=4)
SUGGESTIONS_REQUIREMENT_LEVEL = env.str("SUGGESTIONS_REQUIREMENT_LEVEL", default="M")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {
        "one_line_warning": {"()": "core.logs.OneLineWarning"},
        "client_error_without_traceback": {"()": "core.logs.ClientErrorWithoutTraceback"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", default="INFO")},
    # django-axes announces itself at INFO on every start (each command, each worker).
    # A request for a host the site does not serve (DJANGO_ALLOWED_HOSTS) is answered 400 and
    # logged as one warning line: scanners send them all day, and Django logs each as an error
    # with a traceback. A page refused (403) or a request Django could not read (400) keeps its
    # one warning line, without the traceback Django 5 adds to it; a 500 keeps its traceback.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
        "django.request": {"filters": ["client_error_without_traceback"]},
    },
}
