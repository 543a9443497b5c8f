from functools import cache

from .models import Notification


def inbox(request):
    """The unread count for the inbox badge on every page: counted once, when a
    template first shows it (the layout shows it twice, in the header and the tab bar)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:
        return Notification.objects.filter(recipient=user, read_at=None).count()

    return {"inbox_unread": unread}
