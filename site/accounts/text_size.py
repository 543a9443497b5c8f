"""Large text: the switch in the header, and the class on <html> that scales every page.

Remembered per person (`User.large_text`, so it follows them to another phone) and per
browser (a cookie, so it works signed out and on the browser a person shares with a
neighbour). This browser's choice wins over the person's; without one, the person's
setting applies.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services

COOKIE = "townhall_text"
LARGE, STANDARD = "large", "standard"
CSS_CLASS = "text-large"
ONE_YEAR = 365 * 24 * 60 * 60


def large_text_wanted(request: HttpRequest) -> bool:
    chosen = request.COOKIES.get(COOKIE)
    if chosen in (LARGE, STANDARD):
        return chosen == LARGE
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.large_text)


def text_size(request: HttpRequest) -> dict:
    """Context processor: `large_text` for the switch, `text_size_class` for <html>."""
    large = large_text_wanted(request)
    return {"large_text": large, "text_size_class": CSS_CLASS if large else ""}


def _safe_next(request: HttpRequest) -> str:
    # Only back to a page of this site: `next` comes from the form, and a crafted link
    # must not make the switch bounce a resident to somebody else's site.
    for candidate in (request.POST.get("next"), request.headers.get("referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


@require_POST
def text_size_set(request: HttpRequest) -> HttpResponseRedirect:
    """Turns large text on (`large=1`) or off, for this browser and, when signed in,
    for the person; then back to the page the switch was pressed on."""
    large = request.POST.get("large") == "1"
    if request.user.is_authenticated:
        services.user_large_text_set(user=request.user, large=large)
    response = HttpResponseRedirect(_safe_next(request))
    response.set_cookie(
        COOKIE,
        LARGE if large else STANDARD,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
