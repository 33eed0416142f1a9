"""Whole-site properties: headers, languages, light pages, migrations, deploy checks, CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from minga import cli
from tests import factories


def test_pages_carry_a_strict_content_security_policy(client: Client, db: None) -> None:
    """Every page forbids scripts and styles from anywhere but this server."""
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/organizations/", "/accounts/login/", "/join/"])
def test_pages_load_nothing_from_other_servers(client: Client, db: None, path: str) -> None:
    """No CDN, no external font, no inline script: everything comes from this server."""
    html = client.get(path, follow=True).content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("es", "Directorio"),
        ("en", "Directory"),
        ("pt", "Diretório"),
        ("fr", "Annuaire"),
        ("ht", "Anyè"),
    ],
)
def test_interface_speaks_each_language(db: None, language: str, word: str) -> None:
    """The language switcher's cookie changes the interface's words and the page's lang."""
    client = Client()
    client.cookies["minga_language"] = language
    html = client.get("/").content.decode()
    assert f'<html lang="{language}">' in html
    assert word in html


def test_browser_language_is_negotiated(db: None, settings: Any) -> None:
    """Without a choice, the browser's Accept-Language picks the interface language, and
    with nothing to go by it is Spanish, the production default."""
    from minga.settings import base

    settings.LANGUAGE_CODE = base.LANGUAGE_CODE
    assert base.LANGUAGE_CODE == "es"
    html = Client(HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9").get("/").content.decode()
    assert '<html lang="pt">' in html
    assert '<html lang="es">' in Client().get("/").content.decode()


def test_language_switcher_works_without_javascript(db: None) -> None:
    """Posting the switcher form sets the language and returns to the page."""
    client = Client()
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/organizations/"})
    assert response.status_code == 302 and response["Location"] == "/organizations/"
    assert '<html lang="fr">' in client.get("/organizations/").content.decode()


def test_dates_follow_the_locale(db: None) -> None:
    """The same date reads differently in Spanish and English pages."""
    from datetime import date

    organization = factories.organization(founded_on=date(2010, 3, 5))
    spanish_client = Client()
    spanish_client.cookies["minga_language"] = "es"
    spanish = spanish_client.get(organization.get_absolute_url()).content.decode()
    english_client = Client()
    english_client.cookies["minga_language"] = "en"
    english = english_client.get(organization.get_absolute_url()).content.decode()
    assert "5 de marzo de 2010" in spanish
    assert "March 5, 2010" in english


def test_migrations_are_complete(db: None) -> None:
    """Models and migrations agree."""
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def test_deploy_check_is_clean_with_production_settings(tmp_path: Any) -> None:
    """`check --deploy` finds nothing to warn about in the production configuration."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minga.settings.production",
        "MINGA_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-9f8e7d6c5b4a",
        "MINGA_DATA_DIR": str(tmp_path),
        "MINGA_ALLOWED_HOSTS": "minga.example.org",
        "MINGA_CASES_KEYS": "prod1:" + "A" * 43 + "=",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set while browser tests run in this process
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path: Any) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minga.settings.production",
        "MINGA_DATA_DIR": str(tmp_path),
    }
    env.pop("MINGA_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "MINGA_SECRET_KEY" in result.stderr


def test_cli_rewrites_import_and_export_subcommands(monkeypatch: Any) -> None:
    """`minga import organizations F` runs the import_organizations management command."""
    seen: list[list[str]] = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", seen.append)
    assert cli.main(["import", "organizations", "file.csv"]) == 0
    assert seen == [["minga", "import_organizations", "file.csv"]]
