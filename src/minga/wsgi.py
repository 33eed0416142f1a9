import os

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minga.settings.production")

application = get_wsgi_application()

# The server does not start with a security check failing (e.g. no key for the funds'
# legal cases): gunicorn stops with the check's message instead of serving.
_serious = [m for m in checks.run_checks(tags=[checks.Tags.security]) if m.is_serious()]
if _serious:
    raise ImproperlyConfigured("\n".join(str(message) for message in _serious))
