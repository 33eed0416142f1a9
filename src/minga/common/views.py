"""The canonical address of any object: ``/<prefix>/<uuid>/`` leads to its page.

Objects that travel to other servers are named by these addresses, which never change;
this view sends a reader on to the object's current page, and answers 404 for an object
the reader may not see, as if it did not exist. Whether the reader may see it is asked
first, of the app that owns the model (:func:`register_canonical_reader`), so the redirect
never names a page of something hidden; a model nobody registered is never redirected to.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Callable
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import IdentifiedModel, VisibleContent
from .visibility import can_view, viewer_for

Reader = Callable[[Any, uuid_lib.UUID], Any]
_readers: dict[type[models.Model], Reader] = {}


def register_canonical_reader(model: type[models.Model], reader: Reader) -> None:
    """``reader(user, uuid)`` gives the object if the user may see it, else raises Http404."""
    _readers[model] = reader


@cache
def _models_by_prefix() -> dict[str, type[models.Model]]:
    return {
        model.canonical_path_prefix: model
        for model in apps.get_models()
        if issubclass(model, IdentifiedModel) and model.canonical_path_prefix
    }


def readable_object(model: type[models.Model], user: Any, uuid: uuid_lib.UUID) -> Any:
    """The object if the user may see it; Http404 otherwise, or if no app says who may."""
    reader = _readers.get(model)
    if reader is not None:
        return reader(user, uuid)
    if issubclass(model, VisibleContent):
        manager: Any = model._default_manager
        obj = manager.filter(uuid=uuid).first()
        if obj is not None and can_view(obj, viewer_for(user)):
            return obj
    raise Http404


def canonical(request: HttpRequest, prefix: str, uuid: uuid_lib.UUID) -> HttpResponse:
    model = _models_by_prefix().get(prefix)
    if model is None:
        raise Http404
    obj = readable_object(model, request.user, uuid)
    if not hasattr(obj, "get_absolute_url"):
        raise Http404
    return redirect(obj.get_absolute_url())


_ANY_UUID = "00000000-0000-0000-0000-000000000000"


def url_maker(name: str) -> Callable[[Any], str]:
    """The URL of the named route (whose one argument is ``uuid``) for many objects, reversed
    once: a page listing fifty rows with a link each would otherwise resolve fifty routes."""
    from django.urls import reverse

    pattern = reverse(name, kwargs={"uuid": _ANY_UUID})
    return lambda uuid: pattern.replace(_ANY_UUID, str(uuid))
