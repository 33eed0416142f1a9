"""Demo loaders registered by each app, run by ``minga demo`` after the registry's own.

A loader takes the seed and returns one line saying what it created. Apps register theirs
in ``AppConfig.ready()``, so the registry's command needs no import of later apps.
"""

from __future__ import annotations

from collections.abc import Callable

DemoLoader = Callable[[int], str]
_loaders: dict[str, tuple[int, DemoLoader]] = {}


def register_demo_loader(name: str, loader: DemoLoader, *, order: int = 100) -> None:
    _loaders[name] = (order, loader)


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    return [
        (name, loader)
        for name, (_order, loader) in sorted(
            _loaders.items(), key=lambda item: (item[1][0], item[0])
        )
    ]
