"""Sections other apps add to a person's page (the registry adds their roles).

People sits below the registry, so it cannot ask for roles itself: the registry registers a
section at start-up instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileSection:
    template: str
    context: dict[str, Any]


SectionProvider = Callable[[Any, Any], ProfileSection]
_providers: list[SectionProvider] = []


def register_profile_section(provider: SectionProvider) -> None:
    """``provider(person, reader)`` gives a section of the person's page for that reader."""
    if provider not in _providers:
        _providers.append(provider)


def profile_sections(person: Any, reader: Any) -> list[ProfileSection]:
    return [provider(person, reader) for provider in _providers]
