"""What a serving process (WSGI or ASGI) checks before it takes requests."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve without a real key: sessions and CSRF tokens are signed with it."""
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django's own complaint about an empty key
        key = ""
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
