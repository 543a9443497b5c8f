"""WSGI entry point: plain HTTP at scale (granian or gunicorn workers); see README."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
application = get_wsgi_application()

from townhall.serving import require_secret_key  # noqa: E402

require_secret_key()
