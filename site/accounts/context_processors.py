from .models import Notification


def inbox(request):
    """The unread count for the inbox badge on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "inbox_unread": lambda: Notification.objects.filter(recipient=user, read_at=None).count()
    }
