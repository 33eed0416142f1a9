"""Server-side request forgery: no address on this machine or a private network is ever
fetched, however it is written or resolved, except test hosts named in the settings."""

from __future__ import annotations

from typing import Any

import pytest

from minga.federation import http
from minga.federation.http import FetchRefusedError


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/inbox",
        "https://127.8.9.10/inbox",
        "https://localhost/inbox",
        "https://10.0.0.5/inbox",
        "https://172.16.3.4/inbox",
        "https://192.168.1.1/inbox",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/inbox",
        "https://0.0.0.0/inbox",
        "https://[::1]/inbox",
        "https://[fe80::1]/inbox",
        "https://[fc00::1]/inbox",
        "https://[::ffff:127.0.0.1]/inbox",
        "https://[64:ff9b::a00:1]/inbox",
        "https://224.0.0.1/inbox",
        "http://mastodon.example/inbox",
        "ftp://mastodon.example/inbox",
        "https://user:pass@mastodon.example/inbox",
        "file:///etc/passwd",
    ],
)
def test_unsafe_addresses_are_refused_before_connecting(url: str, settings: Any) -> None:
    settings.FEDERATION_TEST_HOSTS = []
    settings.FEDERATION_HOST_ADDRESSES = {"mastodon.example": "151.101.65.1"}
    with pytest.raises(FetchRefusedError) as refusal:
        http.request("GET", url, timeout=1)
    assert refusal.value.unsafe


def test_a_public_name_resolving_to_a_private_address_is_refused(settings: Any) -> None:
    """DNS can point a harmless-looking name at the inside; the resolved address counts."""
    settings.FEDERATION_TEST_HOSTS = []
    settings.FEDERATION_HOST_ADDRESSES = {"innocent.example": "10.1.2.3"}
    with pytest.raises(FetchRefusedError, match="non-public"):
        http.check_url("https://innocent.example/users/a")


def test_public_addresses_pass_the_check(settings: Any) -> None:
    settings.FEDERATION_TEST_HOSTS = []
    settings.FEDERATION_HOST_ADDRESSES = {"mastodon.example": "151.101.65.1"}
    scheme, host, port, _netloc, address = http.check_url("https://mastodon.example/inbox")
    assert (scheme, host, port, address) == ("https", "mastodon.example", 443, "151.101.65.1")
    assert http.is_public_address("8.8.8.8")
    assert not http.is_public_address("::ffff:10.0.0.1")


def test_test_hosts_named_in_settings_may_be_on_loopback(settings: Any) -> None:
    """Only the exact host and port allowed for tests; another port stays refused."""
    settings.FEDERATION_TEST_HOSTS = ["127.0.0.1:8123"]
    assert http.check_url("http://127.0.0.1:8123/inbox")[4] == "127.0.0.1"
    with pytest.raises(FetchRefusedError):
        http.check_url("http://127.0.0.1:8124/inbox")


def test_redirects_to_private_addresses_are_refused(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each hop of a redirect is checked again."""
    settings.FEDERATION_TEST_HOSTS = []
    settings.FEDERATION_HOST_ADDRESSES = {"mastodon.example": "151.101.65.1"}

    class Redirecting:
        status = 302

        def read(self, _size: int) -> bytes:
            return b""

        def getheaders(self) -> list[tuple[str, str]]:
            return [("Location", "https://127.0.0.1/admin")]

    class FakeConnection:
        timeout = 1.0

        def request(self, *args: Any, **kwargs: Any) -> None:
            return None

        def getresponse(self) -> Redirecting:
            return Redirecting()

        def close(self) -> None:
            return None

    monkeypatch.setattr(http, "_connection", lambda *args: (FakeConnection(), False))
    with pytest.raises(FetchRefusedError) as refusal:
        http.request("GET", "https://mastodon.example/users/a")
    assert refusal.value.unsafe
