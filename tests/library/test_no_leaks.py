"""A strict item never reaches someone who may not read it, on any channel.

Readers tried: an anonymous stranger, a signed-in member of another organization, a
coordinator of the very community whose protocol it is (not a member of the protocol), and
a former member whose membership was revoked, still holding their API token (plus a token
that was revoked outright). Channels: the search page (lists, counts, facets, hits,
snippets), the API, the Atom feed, OAI-PMH, the sitemap, collections, bundles, links from
other items, canonical addresses, attached files, the audit log, error messages and page
titles. The item's title, a word of its text, and its identifier must appear in none."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from minga.common.audit import visible_entries
from minga.common.permissions import SYSTEM
from minga.library import services
from minga.library.content import AccessData
from minga.library.search import rebuild_item_index
from tests import factories
from tests.library import factories as library

SECRET_WORD = "Qhapaqsecreto"
SECRET_TITLE = f"Ceremonia {SECRET_WORD} de la primera semilla"


def _png() -> ContentFile[bytes]:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(out, "PNG")
    return ContentFile(out.getvalue(), name="foto.png")


@pytest.fixture
def world(community: Any, strict_protocol: Any, member: Any, other_org: Any) -> dict[str, Any]:
    secret = library.item(
        community,
        library.knowledge_data(
            title=SECRET_TITLE,
            summary=f"La semilla {SECRET_WORD} del maíz",
            subjects=["maize"],
            country="PE",
        ),
        access=AccessData(protocols=[strict_protocol]),
    )
    attachment = services.attachment_add(actor=SYSTEM, item=secret, upload=_png())
    public = library.item(community, library.formula_data(title="Biol de la semilla de maíz"))
    project = library.item(
        community,
        library.formula_data(kind="project", title="Huerto", ingredients=[], yield_quantity=""),
    )
    services.link_add(actor=SYSTEM, source=project, target=secret, relation="related")
    collection = services.collection_create(actor=SYSTEM, organization=community, title="Semillas")
    services.collection_item_add(actor=SYSTEM, collection=collection, item=secret)
    services.collection_item_add(actor=SYSTEM, collection=collection, item=public)
    only_secret_org = factories.organization(name="Comunidad reservada", slug="reservada")
    hidden_protocol = library.protocol(only_secret_org)
    library.item(
        only_secret_org,
        library.knowledge_data(title=f"Otro {SECRET_WORD}"),
        access=AccessData(protocols=[hidden_protocol]),
    )
    rebuild_item_index()

    other_member = factories.person("de-otra-org")
    factories.role(other_member, other_org, "coordinator")
    villager = factories.person("comunera")
    factories.role(villager, community, "coordinator")
    former = factories.person("exsocia")
    services.membership_grant(actor=SYSTEM, protocol=strict_protocol, person=former)
    former_token = factories.api_token(former, scope="read")
    services.membership_revoke(actor=SYSTEM, protocol=strict_protocol, person=former)
    revoked = factories.person("revocada")
    services.membership_grant(actor=SYSTEM, protocol=strict_protocol, person=revoked)
    revoked_token = factories.api_token(revoked, scope="read")
    from minga.people.models import PersonalAccessToken

    PersonalAccessToken.objects.filter(user=revoked).update(revoked_at="2024-01-01T00:00:00Z")
    return {
        "secret": secret,
        "attachment": attachment,
        "public": public,
        "project": project,
        "collection": collection,
        "community": community,
        "member": member,
        "readers": {
            "anonymous": (Client(), {}),
            "other organization": (_client(other_member), {}),
            "community, not in the protocol": (_client(villager), {}),
            "former member's token": (Client(), {"HTTP_AUTHORIZATION": f"Bearer {former_token}"}),
            "revoked token": (Client(), {"HTTP_AUTHORIZATION": f"Bearer {revoked_token}"}),
        },
        "other_member": other_member,
    }


def _client(user: Any) -> Client:
    return factories.verified_client(user)


def _channels(world: dict[str, Any]) -> list[str]:
    secret, community = world["secret"], world["community"]
    uuid = secret.uuid
    oai_id = f"oai:testserver:library/{uuid}"
    return [
        "/library/",
        f"/library/?q={SECRET_WORD}",
        "/library/?q=semilla",
        "/library/?q=maiz&country=PE",
        "/library/?kind=knowledge",
        "/library/feed/",
        "/library/sitemap.xml",
        "/library/collections/",
        world["collection"].get_absolute_url(),
        world["project"].get_absolute_url(),
        secret.get_absolute_url(),
        f"/library/items/{uuid}/versions/",
        f"/library/items/{uuid}/versions/1/",
        f"/library/items/{uuid}/access-log/",
        f"/library/items/{uuid}/translations/pt/",
        f"/library/export/?item={uuid}",
        f"/library/export/?collection={world['collection'].uuid}",
        f"/library/export/?organization={community.slug}",
        world["attachment"].url,
        world["attachment"].thumbnail_url,
        "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
        f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={oai_id}",
        f"/oai?verb=ListMetadataFormats&identifier={oai_id}",
        "/oai?verb=ListSets",
        "/api/v1/library/items",
        f"/api/v1/library/items?q={SECRET_WORD}",
        "/api/v1/library/items?kind=knowledge&country=PE",
        f"/api/v1/library/items/{uuid}",
        f"/api/v1/library/items/{uuid}/versions",
        f"/api/v1/library/items/{uuid}/translations",
        f"/api/v1/library/items/{uuid}/scale?quantity=1&unit=l",
        f"/api/v1/library/collections/{world['collection'].uuid}",
        f"/library/items/{uuid}/",
    ]


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return data.decode("utf-8", "replace")


def test_a_strict_item_leaks_through_no_channel(world: dict[str, Any]) -> None:
    secret = world["secret"]
    forbidden = [SECRET_WORD, str(secret.uuid), "primera semilla"]
    checked = 0
    for reader, (client, headers) in world["readers"].items():
        for url in _channels(world):
            response = client.get(url, **headers)
            body = _body(response)
            # What the reader typed in the address comes back (the search box, the page
            # links); everything else of the item must not.
            for text in [text for text in forbidden if text not in url]:
                assert text not in body, (reader, url, text)
            title = re.search(r"<title>(.*?)</title>", body, re.S)
            assert title is None or SECRET_WORD not in title.group(1)
            checked += 1
    assert checked > 150


def test_the_same_channels_do_show_it_to_a_member(world: dict[str, Any]) -> None:
    """The check above is not vacuous: a member finds the item on the reader channels."""
    client = _client(world["member"])
    shown = [
        f"/library/?q={SECRET_WORD}",
        world["secret"].get_absolute_url(),
        world["collection"].get_absolute_url(),
        world["project"].get_absolute_url(),
        f"/api/v1/library/items/{world['secret'].uuid}",
        "/library/feed/",
    ]
    for url in shown:
        assert SECRET_WORD in _body(client.get(url)), url
    assert client.get(world["attachment"].url).status_code == 200


def test_counts_and_facets_do_not_count_it(world: dict[str, Any]) -> None:
    """The search page's and the API's totals and facet counts, and a collection's count,
    are the same as if the strict item did not exist."""
    client, headers = world["readers"]["other organization"]
    answer = client.get("/api/v1/library/items", **headers).json()
    kinds = {row["value"]: row["count"] for row in answer["facets"]["kind"]}
    assert answer["count"] == 2 and kinds == {"formula": 1, "project": 1}
    assert "PE" not in [row["value"] for row in answer["facets"]["country"]]
    listing = client.get("/library/collections/", **headers).content.decode()
    assert re.search(r"1 item\b", listing)
    member = _client(world["member"]).get("/api/v1/library/items").json()
    assert member["count"] == 3


def test_old_tokens_are_refused_or_read_nothing(world: dict[str, Any]) -> None:
    client, headers = world["readers"]["revoked token"]
    assert client.get("/api/v1/library/items", **headers).status_code == 401
    client, headers = world["readers"]["former member's token"]
    response = client.get(f"/api/v1/library/items/{world['secret'].uuid}", **headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "field": None, "code": "not_found"}


def test_errors_name_nothing_of_it(world: dict[str, Any]) -> None:
    """Linking to it, adding it to a collection or reading its versions answers as if no
    such item existed; the refusal names nothing of it."""
    other = world["other_member"]
    mine = library.item(
        factories.organization(slug="otra-mas"), library.formula_data(title="Mío"), actor=SYSTEM
    )
    client = _client(other)
    from minga.library.services import items as _items  # noqa: F401 - the services module loads

    services.item_set_access(actor=SYSTEM, item=mine, access=AccessData(custodians=[other]))
    response = client.post(
        f"/library/items/{mine.uuid}/links/",
        {"relation": "uses", "target": str(world["secret"].uuid)},
    )
    body = response.content.decode()
    assert SECRET_WORD not in body and "no item you may read" in body
    assert client.post(f"/library/items/{world['secret'].uuid}/collections/", {}).status_code == 404


def test_the_audit_log_hides_entries_about_it(world: dict[str, Any]) -> None:
    for user in (world["other_member"], factories.person("nadie")):
        assert (
            not visible_entries(user)
            .filter(object_id=str(world["secret"].pk), content_type__model="item")
            .exists()
        )
    assert (
        visible_entries(world["member"])
        .filter(object_id=str(world["secret"].pk), content_type__model="item")
        .exists()
    )
