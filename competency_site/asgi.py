"""
ASGI config for competency_site project.

It exposes the ASGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/asgi/
"""

import os

from django.core.asgi import get_asgi_application

from competency_site.databases import web_statement_timeout

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "competency_site.settings")

application = get_asgi_application()

# A web process's queries wait at most DATABASE_STATEMENT_TIMEOUT; a worker's and a command's
# (which never import this module) are not cut short.
web_statement_timeout()
