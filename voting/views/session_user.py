"""The signed-in voter on the vote path, read with one plain SELECT: Django's own
`get_user` checks, without the ORM's cost on the measured path."""

from functools import wraps

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.crypto import constant_time_compare

BOARD_PAGE_SIZE = 50


def signed_in_lean(view):
    """Sets `request.user` with `session_user` before `login_required` reads it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.user = session_user(request)
        return view(request, *args, **kwargs)

    return wrapped


def session_user(request):
    """The user `django.contrib.auth.get_user(request)` returns, after the same checks
    in the same order, but with the row read by one plain SELECT instead of the ORM's
    `get()`: on the vote path that `get()` (about 0.6 ms of CPU, building the query and
    then the instance) costs more than the rest of a ballot's Python put together.

    The checks: the session names a user and a configured backend; the user exists and
    may sign in (`user_can_authenticate`: active), else the request is anonymous; the
    session's auth hash matches the one of the user's current password (so a password
    change signs every other session out), or one made with a SECRET_KEY_FALLBACKS key,
    and the session is then moved to the current key; otherwise the session is flushed
    and the request is anonymous. The plain read is used only on PostgreSQL, for a
    backend whose `get_user` is ModelBackend's, and when no user field converts its
    database value (`_user_reader`); anything else is Django's own `get_user`."""
    model = get_user_model()
    try:
        user_id = model._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return auth.get_user(request)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    backend = auth.load_backend(backend_path)
    reader = _user_reader(model)
    if type(backend).get_user is not ModelBackend.get_user or reader is None:
        return auth.get_user(request)
    user = reader(user_id)
    if user is None or not backend.user_can_authenticate(user):
        return AnonymousUser()  # as Django: anonymous, the session left as it is
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return AnonymousUser()


_USER_READERS: dict = {}


def _user_reader(model):
    """A function reading one user row by id with a plain SELECT of every concrete
    field, or None where that would differ from the ORM's instance (not PostgreSQL, or
    a field that converts its database value)."""
    alias = router.db_for_read(model)
    key = (model, alias)
    if key not in _USER_READERS:
        db = connections[alias]
        fields = model._meta.concrete_fields
        plain = db.vendor == "postgresql" and not any(
            field.get_col(model._meta.db_table).get_db_converters(db) for field in fields
        )
        reader = None
        if plain:
            quote_name = db.ops.quote_name
            sql = (
                f"SELECT {', '.join(quote_name(field.column) for field in fields)}"
                f" FROM {quote_name(model._meta.db_table)}"
                f" WHERE {quote_name(model._meta.pk.column)} = %s"
            )
            names = [field.attname for field in fields]

            def reader(user_id):
                with connections[alias].cursor() as cursor:
                    cursor.execute(sql, [user_id])
                    row = cursor.fetchone()
                return model.from_db(alias, names, row) if row is not None else None

        _USER_READERS[key] = reader
    return _USER_READERS[key]
