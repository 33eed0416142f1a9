"""The demo federation: deterministic, labelled, and the size the issue asks for."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from minga.registry.models import Organization, OrganizationRelation


def test_demo_builds_the_federation_and_refuses_a_second_load(db: None) -> None:
    """3,200 communes with councils, 200 others in 27 countries, pending requests; once only."""
    out = StringIO()
    call_command("demo", "--organizations", "3600", stdout=out)
    assert Organization.objects.filter(kind="commune").count() == 3200
    assert Organization.objects.filter(kind="communal_council").count() == 198
    assert Organization.objects.exclude(country="VE").values("country").distinct().count() == 26
    assert OrganizationRelation.objects.filter(status="pending").count() == 5
    assert (
        "Datos de demostración" in Organization.objects.get(slug="confederacion-minga").description
    )
    assert (
        "Données de démonstration" in Organization.objects.filter(country="FR").first().description
    )
    first_names = list(Organization.objects.order_by("slug").values_list("name", flat=True)[:50])
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())
    call_command("demo", "--if-empty", stdout=StringIO())
    assert (
        list(Organization.objects.order_by("slug").values_list("name", flat=True)[:50])
        == first_names
    )
