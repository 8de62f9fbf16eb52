"""Settings for the test suite: the site's own settings, with what only slows tests down turned
off. Nothing here changes behaviour a test checks."""

from competency_site.settings import *  # noqa: F403

# One PBKDF2 hash takes ~0.4 s on purpose; tests create and log in users by the hundred.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Transactional tests end by emptying every table; on PostgreSQL, with DELETE rather than
# TRUNCATE, which takes seconds a test (competency_site/test_postgresql).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "competency_site.test_postgresql"  # noqa: F405
    # PostgreSQL waits at each commit for its log to reach the disk (milliseconds here), and the
    # suite commits thousands of times; a test database has nothing to keep through a crash. A
    # copy of the options: the site's settings, which production reads, keep waiting.
    default = DATABASES["default"]  # noqa: F405
    options = default.get("OPTIONS", {})
    DATABASES = {
        **DATABASES,  # noqa: F405
        "default": {
            **default,
            "OPTIONS": {
                **options,
                "options": f"{options.get('options', '')} -c synchronous_commit=off".strip(),
            },
        },
    }
