"""ASGI entry point: HTTP and websockets in one process (`make run`), or only the
websockets behind a reverse proxy when HTTP goes to WSGI workers (see README)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings")
django_asgi_app = get_asgi_application()  # before importing code that touches models

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from townhall.routing import websocket_urlpatterns  # noqa: E402
from townhall.serving import require_secret_key  # noqa: E402

require_secret_key()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
