"""Fixtures of the federation tests: a stand-in fediverse and a signed poster."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from minga.common.stator import run_once
from tests.federation.fediverse import Account, Fediverse


@pytest.fixture
def fediverse(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Fediverse:
    world = Fediverse()
    monkeypatch.setattr("minga.federation.http.request", world.request)
    settings.SITE_URL = "https://minga.test"
    return world


def post_activity(
    client: Client, account: Account, path: str, activity: dict[str, Any], **extra: str
) -> Any:
    """POST an activity to one of our inboxes, signed by ``account`` as Mastodon signs."""
    body = json.dumps(activity).encode()
    headers = account.sign("POST", f"http://testserver{path}", body)
    headers.update(extra)
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    meta.pop("HTTP_CONTENT_TYPE", None)
    return client.post(path, data=body, content_type="application/activity+json", **meta)


@pytest.fixture
def post() -> Callable[..., Any]:
    return post_activity


def drain(rounds: int = 10) -> None:
    """Let the worker do everything that is due now."""
    for _ in range(rounds):
        if not run_once():
            return
