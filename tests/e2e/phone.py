"""What the phone tests share: the screen a cheap phone has, and the two checks they make."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext

PHONE = {"width": 360, "height": 740}


def fits(page: Any) -> bool:
    """Nothing on the page is wider than the screen."""
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def creole(message: str) -> str:
    """A catalogue sentence as a Haitian Creole reader sees it."""
    with translation.override("ht"):
        return gettext(message)
