"""WSGI entry point, used by gunicorn through `itpm serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpm.config.settings")
application = get_wsgi_application()
