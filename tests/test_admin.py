"""Every admin list a staff member can open loads, with the demo data in place."""

from io import StringIO
from typing import Any

import pytest
from django.contrib import admin
from django.core.management import call_command

from tests import factories


@pytest.mark.django_db
def test_every_admin_changelist_loads(admin_user: Any) -> None:
    call_command("demo", "--organizations", "3300", stdout=StringIO())
    client = factories.verified_client(admin_user)
    opened = 0
    for model in admin.site._registry:
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        assert response.status_code == 200, url
        opened += 1
    assert opened >= 20


@pytest.mark.django_db
def test_secret_ballots_are_not_in_the_admin() -> None:
    from minga.assemblies.models import SecretBallot, VoteParticipation

    assert SecretBallot not in admin.site._registry
    assert VoteParticipation not in admin.site._registry
