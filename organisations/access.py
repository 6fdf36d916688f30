"""Who may do what with people and roles; ``trainings.access`` builds on it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from organisations.models import User


def require_coordinator(user: User | AnonymousUser) -> None:
    """403 for everyone but coordinators; no queries beyond the person's roles."""
    if not user.is_authenticated or not user.is_coordinator:
        raise PermissionDenied
