"""Bulletins and their translations through the API, with the pages' visibility."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from minga.common.api import ErrorOut, Pages, caller, signed_in
from minga.registry.selectors import get_organization_for

from .. import selectors, services
from ..models import Bulletin, BulletinTranslation
from ..types import BulletinKind

router = Router(tags=["comms"])


class TranslationOut(Schema):
    id: int
    language: str
    stage: str
    status: str
    title: str
    summary: str
    text: str

    @staticmethod
    def resolve_status(obj: BulletinTranslation) -> str:
        return str(obj.status.value)


class BulletinOut(Schema):
    uuid: UUID
    url: str
    kind: str
    status: str
    organization: str | None
    origin: str | None = Field(None, description="For bulletins from other servers: the account")
    title: str
    summary: str
    language: str
    tags: list[str]
    published_at: datetime | None
    edited_at: datetime | None
    visibility: str

    @staticmethod
    def resolve_url(obj: Bulletin) -> str:
        return obj.remote_url or obj.get_canonical_url()

    @staticmethod
    def resolve_organization(obj: Bulletin) -> str | None:
        return obj.organization.slug if obj.organization else None

    @staticmethod
    def resolve_origin(obj: Bulletin) -> str | None:
        return obj.remote_actor.handle if obj.remote_actor else None

    @staticmethod
    def resolve_tags(obj: Bulletin) -> list[str]:
        return [tag.slug for tag in obj.tags.all()]


class BulletinDetailOut(BulletinOut):
    body: str
    body_html: str
    translations: list[TranslationOut]
    media: list[dict[str, Any]]

    @staticmethod
    def resolve_translations(obj: Bulletin) -> list[BulletinTranslation]:
        return [t for t in obj.translations.all() if t.is_published]

    @staticmethod
    def resolve_media(obj: Bulletin) -> list[dict[str, Any]]:
        return [
            {
                "kind": media.kind,
                "url": media.url,
                "alt_text": media.alt_text,
                "mime": media.mime,
                "duration_seconds": media.duration_seconds,
            }
            for media in obj.media.all()
        ]


class BulletinQuery(Schema):
    organization: str = ""
    tag: str = ""
    language: str = ""
    campaign: str = ""
    origin: Literal["", "here", "elsewhere"] = ""


class BulletinIn(Schema):
    organization: UUID
    kind: BulletinKind = BulletinKind.ARTICLE
    title: str = Field("", max_length=300)
    summary: str = Field("", max_length=500)
    body: str
    language: str = Field("es", max_length=16)
    tags: list[str] = []
    video_links: list[str] = []
    visibility: Literal["public", "server"] = "public"


class BulletinPatch(Schema):
    kind: BulletinKind | None = None
    title: str | None = Field(None, max_length=300)
    summary: str | None = Field(None, max_length=500)
    body: str | None = None
    language: str | None = Field(None, max_length=16)
    tags: list[str] | None = None
    video_links: list[str] | None = None
    visibility: Literal["public", "server"] | None = None


class ActIn(Schema):
    action: Literal["submit", "publish", "return", "withdraw"]
    at: datetime | None = Field(None, description="publish: when (omitted: now)")
    note: str = ""


class LanguagesIn(Schema):
    languages: list[str]


class TranslationActIn(Schema):
    action: Literal["claim", "release", "save", "submit", "approve", "send_back", "revise"]
    title: str = ""
    summary: str = ""
    text: str = ""
    note: str = ""


WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/bulletins", response=list[BulletinOut])
@paginate(Pages, page_size=50)
def list_bulletins(request: HttpRequest, filters: Query[BulletinQuery]) -> Any:
    """Published bulletins the caller may read, newest first (from here and elsewhere)."""
    return selectors.bulletin_list(caller(request), selectors.BulletinFilters(**filters.dict()))


@router.get("/bulletins/{uuid}", response={200: BulletinDetailOut, 404: ErrorOut})
def get_bulletin(request: HttpRequest, uuid: UUID) -> Any:
    """One bulletin with its published translations (drafts to its organization's members)."""
    return selectors.get_bulletin_for(caller(request), uuid)


def _data(bulletin: Bulletin | None, values: dict[str, Any]) -> services.BulletinData:
    current: dict[str, Any] = {}
    if bulletin is not None:
        current = {
            "kind": bulletin.kind,
            "title": bulletin.title,
            "summary": bulletin.summary,
            "body": bulletin.body,
            "language": bulletin.language,
            "tags": [tag.slug for tag in bulletin.tags.all()],
            "video_links": bulletin.video_links,
            "visibility": bulletin.visibility,
            "region": bulletin.region,
            "country": str(bulletin.country or ""),
            "campaign": bulletin.campaign,
            "programme": bulletin.programme,
        }
    current.update({key: value for key, value in values.items() if value is not None})
    return services.BulletinData(**current)


@router.post("/bulletins", response={201: BulletinDetailOut, **WRITE})
def create_bulletin(request: HttpRequest, payload: BulletinIn) -> Any:
    """A new draft of an organization the caller writes for."""
    user = signed_in(request)
    organization = get_organization_for(user, uuid=payload.organization)
    values = payload.dict(exclude={"organization"})
    values["region"] = organization.region
    bulletin = services.bulletin_create(
        actor=user, organization=organization, data=_data(None, values)
    )
    return Status(201, selectors.get_bulletin_for(user, bulletin.uuid))


@router.patch("/bulletins/{uuid}", response={200: BulletinDetailOut, **WRITE})
def update_bulletin(request: HttpRequest, uuid: UUID, payload: BulletinPatch) -> Any:
    user = signed_in(request)
    bulletin = selectors.get_bulletin_for(user, uuid)
    services.bulletin_update(
        actor=user, bulletin=bulletin, data=_data(bulletin, payload.dict(exclude_unset=True))
    )
    return selectors.get_bulletin_for(user, uuid)


@router.post("/bulletins/{uuid}/act", response={200: BulletinDetailOut, **WRITE})
def act_on_bulletin(request: HttpRequest, uuid: UUID, payload: ActIn) -> Any:
    """Send for review, publish (now or ``at``), send back to the author, or withdraw."""
    user = signed_in(request)
    bulletin = selectors.get_bulletin_for(user, uuid)
    if payload.action == "submit":
        services.bulletin_submit(actor=user, bulletin=bulletin)
    elif payload.action == "publish":
        services.bulletin_publish(actor=user, bulletin=bulletin, at=payload.at)
    elif payload.action == "return":
        services.bulletin_return(actor=user, bulletin=bulletin, note=payload.note)
    else:
        services.bulletin_withdraw(actor=user, bulletin=bulletin, reason=payload.note)
    return selectors.get_bulletin_for(user, uuid)


@router.post("/bulletins/{uuid}/translations", response={201: list[TranslationOut], **WRITE})
def request_translations(request: HttpRequest, uuid: UUID, payload: LanguagesIn) -> Any:
    user = signed_in(request)
    bulletin = selectors.get_bulletin_for(user, uuid)
    return Status(
        201,
        services.translation_request(actor=user, bulletin=bulletin, languages=payload.languages),
    )


@router.get("/translations/open", response={200: list[TranslationOut], 401: ErrorOut})
def open_translations(request: HttpRequest) -> Any:
    """Requested translations into the caller's languages (as a volunteer translator)."""
    return list(selectors.translations_open_to(signed_in(request))[:200])


@router.post("/translations/{pk}/act", response={200: TranslationOut, **WRITE})
def act_on_translation(request: HttpRequest, pk: int, payload: TranslationActIn) -> Any:
    """One step of the workflow: claim, save (title, summary, text), submit, approve …"""
    user = signed_in(request)
    translation = selectors.get_translation_for(user, pk)
    action = payload.action
    if action == "save":
        return services.translation_save(
            actor=user,
            translation=translation,
            title=payload.title,
            text=payload.text,
            summary=payload.summary,
        )
    if action == "send_back":
        return services.translation_send_back(
            actor=user, translation=translation, note=payload.note
        )
    function = {
        "claim": services.translation_claim,
        "release": services.translation_release,
        "submit": services.translation_submit,
        "approve": services.translation_approve,
        "revise": services.translation_revise,
    }[action]
    return function(actor=user, translation=translation)


@router.get("/bulletins/{uuid}/read", response={200: dict[str, Any], 404: ErrorOut})
def read_bulletin(request: HttpRequest, uuid: UUID, lang: str = "") -> Any:
    """The bulletin as a reader of ``lang`` (or of the request's language) sees it."""
    bulletin = selectors.get_bulletin_for(caller(request), uuid)
    version = selectors.reader_version(bulletin, get_language() or "es", lang)
    return {
        "language": version.language if version else bulletin.language,
        "status": str(version.status.value) if version else "original",
        "title": (version.title if version else "") or bulletin.title,
        "text": version.text if version else bulletin.body,
        "original_language": bulletin.language,
    }
