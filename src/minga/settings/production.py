"""Production settings: ``base`` with every transport protection switched on."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("MINGA_SECRET_KEY must be set (a long random string).")

# Behind a TLS-terminating proxy everything is HTTPS. `make run` serves plain HTTP on
# loopback for a local trial and sets MINGA_HTTPS=0.
HTTPS = env_bool("MINGA_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
