"""Items: formulas and their rules, versions with differences and restoring, consent, links."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from minga.common.errors import DomainError
from minga.common.models import AuditEntry
from minga.common.permissions import SYSTEM
from minga.library import selectors, services
from minga.library.content import IngredientData
from minga.library.models import Item, ItemVersion
from minga.library.services.items import snapshot
from tests import factories
from tests.library import factories as library


def test_a_formula_keeps_its_ingredients_in_thousandths(community: Any) -> None:
    item = library.item(community)
    rows = list(item.ingredients.values_list("name", "quantity_thousandths", "unit"))
    assert rows[:3] == [
        ("estiércol fresco de vaca", 40_000, "kg"),
        ("leche", 2_000, "l"),
        ("melaza", 1_500_000, "ml"),
    ]
    assert rows[3] == ("sal", None, "")
    assert item.yield_thousandths == 200_000 and item.yield_unit == "l"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"ingredients": []}, "ingredients", "formula_without_ingredients"),
        ({"yield_quantity": ""}, "yield_quantity", "formula_without_yield"),
        ({"yield_unit": "bushel"}, "yield_unit", "unknown_unit"),
        (
            {"ingredients": [IngredientData("agua", "dos", "l")]},
            "ingredients.1.quantity",
            "invalid_quantity",
        ),
        (
            {"ingredients": [IngredientData("agua", "2", "")]},
            "ingredients.1.unit",
            "unknown_unit",
        ),
        ({"subjects": ["no-such-subject"]}, "subjects", "unknown_subject"),
        ({"labels": ["tk-nothing"]}, "labels", "unknown_label"),
        (
            {"license": "community", "license_text": ""},
            "license_text",
            "community_license_without_terms",
        ),
        ({"title": "  "}, "title", "title_required"),
        ({"language": "español"}, "language", "unknown_language"),
    ],
)
def test_a_bad_formula_is_refused_naming_the_field_and_nothing_is_written(
    community: Any, changes: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(DomainError) as refusal:
        library.item(community, library.formula_data(**changes))
    assert (refusal.value.field, refusal.value.code) == (field, code)
    assert not Item.objects.exists()
    assert not ItemVersion.objects.exists()


def test_knowledge_is_shared_only_with_a_record_of_consent(community: Any) -> None:
    with pytest.raises(DomainError) as refusal:
        library.item(community, library.knowledge_data(), with_consent=False)
    assert refusal.value.code == "knowledge_without_consent"
    kept = library.item(
        community,
        library.knowledge_data(),
        with_consent=False,
        access=services.AccessData(visibility="custodians"),
    )
    assert kept.consents.count() == 0
    with pytest.raises(DomainError):
        services.item_set_access(actor=SYSTEM, item=kept, access=services.AccessData())
    services.consent_record(actor=SYSTEM, item=kept, consent=library.consent())
    services.item_set_access(actor=SYSTEM, item=kept, access=services.AccessData())
    assert Item.objects.get(pk=kept.pk).visibility == "public"


def test_every_edit_makes_a_version_and_an_unchanged_save_does_not(community: Any) -> None:
    item = library.item(community)
    services.item_update(
        actor=SYSTEM, item=item, data=library.formula_data(title="Biol de vaca mejorado")
    )
    services.item_update(
        actor=SYSTEM, item=item, data=library.formula_data(title="Biol de vaca mejorado")
    )
    item.refresh_from_db()
    assert item.version == 2
    versions = list(item.versions.order_by("number").values_list("number", flat=True))
    assert versions == [1, 2]
    first, second = item.versions.order_by("number")
    assert first.snapshot["title"] == "Biol de estiércol de vaca"
    assert second.snapshot["title"] == "Biol de vaca mejorado"


def test_an_old_version_is_restored_as_a_new_version(community: Any) -> None:
    item = library.item(community)
    services.item_update(
        actor=SYSTEM,
        item=item,
        data=library.formula_data(
            title="Biol sin leche",
            ingredients=[IngredientData("estiércol", "40", "kg")],
            subjects=["maize"],
        ),
    )
    item.refresh_from_db()
    services.item_restore(actor=SYSTEM, item=item, number=1)
    item.refresh_from_db()
    assert item.version == 3
    assert item.title == "Biol de estiércol de vaca"
    assert snapshot(item) == item.versions.get(number=1).snapshot
    latest = item.versions.get(number=3)
    assert latest.restored_from == 1
    assert AuditEntry.objects.filter(action="library.item.restore").count() == 1


def test_restoring_the_current_version_or_a_missing_one_is_refused(community: Any) -> None:
    item = library.item(community)
    with pytest.raises(DomainError) as current:
        services.item_restore(actor=SYSTEM, item=item, number=1)
    assert current.value.code == "version_is_current"
    with pytest.raises(DomainError) as missing:
        services.item_restore(actor=SYSTEM, item=item, number=7)
    assert missing.value.code == "unknown_version"


def test_an_edit_made_on_an_older_version_is_refused(community: Any) -> None:
    """Two people editing at once: the second save, made on version 1, does not silently
    overwrite version 2."""
    item = library.item(community)
    services.item_update(actor=SYSTEM, item=item, data=library.formula_data(title="Uno"))
    with pytest.raises(DomainError) as refusal:
        services.item_update(
            actor=SYSTEM, item=item, data=library.formula_data(title="Dos"), expected_version=1
        )
    assert refusal.value.code == "edit_conflict" and refusal.value.status == 409
    assert Item.objects.get(pk=item.pk).title == "Uno"


def test_scaling_a_stored_formula(community: Any) -> None:
    from fractions import Fraction

    item = library.item(community)
    scaled = selectors.scale_formula(item, amount=Fraction(50), unit="l", system="as_written")
    assert [(row.name, row.amount, row.unit) for row in scaled.ingredients][:3] == [
        ("estiércol fresco de vaca", Fraction(10), "kg"),
        ("leche", Fraction(1, 2), "l"),
        ("melaza", Fraction(375), "ml"),
    ]


def test_editors_are_the_contributor_the_custodians_and_the_managers(community: Any) -> None:
    contributor = library.contributor(community, "aportante")
    item = library.item(community, actor=contributor)
    manager = factories.person("coordinadora")
    factories.role(manager, community, "coordinator")
    stranger = factories.person("extrana")
    assert selectors.is_item_editor(contributor, item)
    assert selectors.is_item_editor(manager, item)
    assert not selectors.is_item_editor(stranger, item)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.item_update(actor=stranger, item=item, data=library.formula_data(title="X"))


def test_links_show_only_targets_the_reader_may_see(
    community: Any, strict_item: Any, member: Any
) -> None:
    project = library.item(
        community,
        library.formula_data(
            kind="project", title="Huertos del ayllu", ingredients=[], yield_quantity=""
        ),
    )
    formula = library.item(community)
    services.link_add(actor=SYSTEM, source=project, target=formula, relation="uses")
    services.link_add(actor=SYSTEM, source=project, target=strict_item, relation="related")
    services.link_add(actor=SYSTEM, source=project, target=formula, relation="uses")
    stranger = factories.person()
    assert [other.pk for _r, other, _o, _k in selectors.links_of(stranger, project)] == [formula.pk]
    assert {other.pk for _r, other, _o, _k in selectors.links_of(member, project)} == {
        formula.pk,
        strict_item.pk,
    }
    with pytest.raises(DomainError):
        services.link_add(actor=SYSTEM, source=project, target=project, relation="uses")


def test_a_project_needs_no_ingredients_but_checks_its_dates(community: Any) -> None:
    from datetime import date

    data = library.formula_data(kind="project", ingredients=[], yield_quantity="")
    library.item(community, data)
    with pytest.raises(DomainError) as refusal:
        library.item(community, replace(data, starts_on=date(2025, 5, 1), ends_on=date(2025, 1, 1)))
    assert refusal.value.code == "ends_before_start"
