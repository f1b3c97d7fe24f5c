from jipp.notifications.services import unread_count


def unread(request):
    """The unread count for the header's bell (one COUNT query on pages for signed-in people)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": unread_count(user)}
