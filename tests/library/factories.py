"""Library test data: items, protocols and the people around them, made through services."""

from __future__ import annotations

from datetime import date
from typing import Any

from minga.common.permissions import SYSTEM
from minga.library import services
from minga.library.content import AccessData, ConsentData, IngredientData, ItemData
from minga.library.types import ProtocolKind
from tests import factories


def formula_data(**changes: Any) -> ItemData:
    values: dict[str, Any] = {
        "kind": "formula",
        "title": "Biol de estiércol de vaca",
        "summary": "Abono líquido fermentado para el maíz",
        "body": "Fermentar en un tanque cerrado durante treinta días.",
        "language": "es",
        "subjects": ["biofertilizers", "maize"],
        "tags": ["abono", "biol"],
        "country": "BO",
        "place": "Cochabamba",
        "yield_quantity": "200",
        "yield_unit": "l",
        "ingredients": [
            IngredientData("estiércol fresco de vaca", "40", "kg"),
            IngredientData("leche", "2", "l"),
            IngredientData("melaza", "1500", "ml"),
            IngredientData("sal", "", "", "al gusto"),
        ],
        "steps": ["Mezclar el estiércol con agua.", "Añadir leche y melaza.", "Cerrar el tanque."],
    }
    values.update(changes)
    return ItemData(**values)


def knowledge_data(**changes: Any) -> ItemData:
    values: dict[str, Any] = {
        "kind": "knowledge",
        "title": "Lectura de las nubes para la siembra",
        "summary": "Saber de las abuelas sobre cuándo sembrar la papa",
        "body": "Las abuelas miran las nubes del amanecer en agosto.",
        "language": "es",
        "subjects": ["potato", "lunar-calendar"],
        "community_of_origin": "Ayllu Qhapaq",
        "season": "agosto",
        "practice": "Pronóstico andino",
        "labels": ["tk-secret-sacred", "tk-women-restricted"],
        "license": "community",
        "license_text": "Solo para la comunidad.",
    }
    values.update(changes)
    return ItemData(**values)


def consent() -> ConsentData:
    return ConsentData(
        given_by="Asamblea del ayllu",
        given_on=date(2024, 5, 1),
        method="Decisión de la asamblea, acta 12",
        scope="Compartir con las socias del protocolo",
    )


def contributor(organization: Any, username: str | None = None) -> Any:
    person = factories.person(username)
    factories.role(person, organization, "member")
    return person


def item(
    organization: Any,
    data: ItemData | None = None,
    *,
    actor: Any = SYSTEM,
    access: AccessData | None = None,
    with_consent: bool | None = None,
) -> Any:
    data = data or formula_data()
    needs_consent = data.kind == "knowledge" if with_consent is None else with_consent
    return services.item_create(
        actor=actor,
        organization=organization,
        data=data,
        access=access,
        consent=consent() if needs_consent else None,
    )


def protocol(
    community: Any, *, kind: str = ProtocolKind.STRICT, name: str | None = None, **fields: Any
) -> Any:
    return services.protocol_create(
        actor=SYSTEM,
        community=community,
        name=name or f"Protocolo {next(_counter)}",
        kind=kind,
        **fields,
    )


_counter = iter(range(1, 10**6))
