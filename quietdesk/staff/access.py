"""View guards. Every staff view names the capability it needs (deny by default);
public views are marked with Django's ``login_not_required`` instead. A test walks
every URL and fails if a view has neither."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .roles import Cap, has_cap


def require(cap: Cap, *, hide: bool = False):
    """Allow the view only to roles with ``cap``.

    ``hide=True`` for views about one patron: a role that may not see them gets
    the same 404 as for a patron that does not exist, so it learns nothing.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_cap(request.user, cap):
                if hide:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = cap
        return wrapped

    return decorator


def public_view(view):
    """Mark a view that anyone may open. Kept separate so the URL walk can list them."""
    from django.contrib.auth.decorators import login_not_required

    view.is_public = True
    return login_not_required(view)
