"""Reads of people's accounts that other apps may ask for."""

from __future__ import annotations

from .models import User


def active_person(username: str) -> User | None:
    """The active account with this username, or None."""
    return User.objects.filter(username=username, is_active=True).first()
