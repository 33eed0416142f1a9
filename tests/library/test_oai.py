"""The OAI-PMH endpoint, harvested with Sickle (a harvesting client from PyPI): every public
item comes through the resumption tokens once, in Dublin Core with language-tagged titles,
sets per organization, and items under strict protocols never appear."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.test import Client
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, IdDoesNotExist

from minga.common.permissions import SYSTEM
from minga.library import oai, services
from minga.library.content import AccessData
from tests.library import factories as library

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


class DjangoSickle(Sickle):
    """Sickle speaking to the test server through Django's test client, not the network."""

    def _request(self, kwargs: dict[str, Any]) -> requests.Response:
        answer = Client().get("/oai", kwargs)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers.update({"Content-Type": answer["Content-Type"]})
        response.encoding = "utf-8"
        response.url = "http://testserver/oai"
        return response


@pytest.fixture
def harvester(monkeypatch: pytest.MonkeyPatch) -> DjangoSickle:
    monkeypatch.setattr(oai, "PAGE", 3)  # so that a handful of items takes several pages
    return DjangoSickle("http://testserver/oai", max_retries=0)


@pytest.fixture
def shelf(community: Any, other_org: Any, strict_protocol: Any) -> dict[str, Any]:
    public = [
        library.item(community, library.formula_data(title=f"Biol número {n}")) for n in range(5)
    ]
    public.append(
        library.item(
            other_org,
            library.formula_data(title="Adubo de milho", language="pt", subjects=["maize"]),
        )
    )
    strict = library.item(
        community,
        library.knowledge_data(title="Ceremonia reservada"),
        access=AccessData(protocols=[strict_protocol]),
    )
    return {"public": public, "strict": strict}


def test_a_harvest_follows_the_resumption_tokens_and_gets_every_public_item_once(
    harvester: DjangoSickle, shelf: dict[str, Any]
) -> None:
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    identifiers = [record.header.identifier for record in records]
    expected = {oai.identifier_of(item.uuid) for item in shelf["public"]}
    assert len(identifiers) == len(expected) == 6 and set(identifiers) == expected
    assert oai.identifier_of(shelf["strict"].uuid) not in identifiers
    titles = [record.metadata["title"] for record in records]
    assert ["Ceremonia reservada"] not in titles and ["Adubo de milho"] in titles


def test_titles_carry_their_language(harvester: DjangoSickle, shelf: dict[str, Any]) -> None:
    identifier = oai.identifier_of(shelf["public"][-1].uuid)
    record = harvester.GetRecord(identifier=identifier, metadataPrefix="oai_dc")
    title = record.xml.find(f".//{DC_TITLE}")
    assert title is not None and title.text == "Adubo de milho" and title.get(XML_LANG) == "pt"
    assert record.header.setSpecs == ["org:sementes"]


def test_sets_are_organizations_and_narrow_a_harvest(
    harvester: DjangoSickle, shelf: dict[str, Any]
) -> None:
    specs = {oai_set.setSpec for oai_set in harvester.ListSets()}
    assert {"org:ayllu", "org:sementes"} <= specs
    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="org:sementes"))
    assert [header.identifier for header in headers] == [
        oai.identifier_of(shelf["public"][-1].uuid)
    ]


def test_a_strict_item_is_no_record_at_all(harvester: DjangoSickle, shelf: dict[str, Any]) -> None:
    with pytest.raises(IdDoesNotExist):
        harvester.GetRecord(
            identifier=oai.identifier_of(shelf["strict"].uuid), metadataPrefix="oai_dc"
        )


def test_an_item_that_stops_being_public_is_reported_deleted(
    harvester: DjangoSickle, shelf: dict[str, Any], strict_protocol: Any
) -> None:
    item = shelf["public"][0]
    services.item_set_access(
        actor=SYSTEM, item=item, access=AccessData(protocols=[strict_protocol])
    )
    headers = {h.identifier: h for h in harvester.ListIdentifiers(metadataPrefix="oai_dc")}
    assert headers[oai.identifier_of(item.uuid)].deleted
    record = harvester.GetRecord(identifier=oai.identifier_of(item.uuid), metadataPrefix="oai_dc")
    assert record.header.deleted and not hasattr(record, "metadata")
    assert "Biol número 0" not in record.raw


def test_a_forged_resumption_token_is_refused(
    harvester: DjangoSickle, shelf: dict[str, Any]
) -> None:
    with pytest.raises(BadResumptionToken):
        harvester.ListRecords(resumptionToken="forged")
