"""How a domain app plugs into the site: its pages, API, menu entry, demo data, home panel.

Each domain app's ``AppConfig`` derives from :class:`MingaAppConfig` and declares what it
brings; the root URLs (``minga/urls.py``), the API (``minga/api.py``), the main menu and
``minga demo`` iterate over the installed apps, so adding an app is adding it to
``INSTALLED_APPS``. See ``docs/adding-a-module.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class MenuEntry:
    """One entry of the main menu. ``permission`` (a rule name) shows it only to those who pass
    it; ``signed_in`` only to signed-in people."""

    label: Any
    url_name: str
    order: int = 100
    permission: str | None = None
    signed_in: bool = False


@dataclass(frozen=True)
class Attention:
    """Something waiting for a person, shown on their home page: "3 votes open to you"."""

    text: str
    url: str
    count: int


AttentionProvider = Callable[[Any], list[Attention]]


class MingaAppConfig(AppConfig):
    """An app of Minga's domain. Every declaration is optional.

    - ``url_prefix``: where its pages live (``"market/"``; ``""`` for the site's root);
      the pages come from ``<app>.urls``.
    - ``api_prefix``: where its API router is mounted under ``/api/v1/``; the router is
      ``<app>.api.router``.
    - ``menu``: entries of the main menu.
    - ``demo_loader``: dotted path of ``load(seed) -> str`` run by ``minga demo`` after the
      registry's own, in ``demo_order``.
    - ``attention``: dotted path of ``attention_for(user) -> list[Attention]`` for the home
      page's "waiting for you" list.
    ``ready()`` imports ``<app>.rules`` (the permission rules) and ``<app>.audit_events``
    when they exist; subclasses that register more call ``super().ready()``.
    """

    # Django picks the one AppConfig of an apps.py marked default; this base, imported there
    # too, must never be that one, and every app's own subclass must.
    default = False
    url_prefix: str | None = None
    api_prefix: str | None = None
    menu: tuple[MenuEntry, ...] = ()
    demo_loader: str | None = None
    demo_order: int = 100
    attention: str | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = True

    def ready(self) -> None:
        for module in ("rules", "audit_events"):
            try:
                importlib.import_module(f"{self.name}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{self.name}.{module}":
                    raise
        if self.demo_loader:
            from .demo import register_demo_loader

            register_demo_loader(self.label, import_string(self.demo_loader), order=self.demo_order)


def minga_apps() -> Iterator[MingaAppConfig]:
    for config in apps.get_app_configs():
        if isinstance(config, MingaAppConfig):
            yield config


def menu_entries() -> list[MenuEntry]:
    entries = [entry for config in minga_apps() for entry in config.menu]
    return sorted(entries, key=lambda entry: entry.order)


def attention_for(user: Any) -> list[Attention]:
    """Everything waiting for the user, from every app, biggest first."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[Attention] = []
    for config in minga_apps():
        if config.attention:
            provider: AttentionProvider = import_string(config.attention)
            items.extend(item for item in provider(user) if item.count)
    return items
