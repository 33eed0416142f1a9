"""The canonical address of any object: ``/<prefix>/<uuid>/`` leads to its page.

Objects that travel to other servers are named by these addresses, which never change;
this view sends a reader on to the object's current page, and answers 404 for an object
the reader may not see, as if it did not exist.
"""

from __future__ import annotations

import uuid as uuid_lib
from functools import cache

from django.apps import apps
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import IdentifiedModel, VisibleContent
from .visibility import can_view, viewer_for


@cache
def _models_by_prefix() -> dict[str, type[models.Model]]:
    return {
        model.canonical_path_prefix: model
        for model in apps.get_models()
        if issubclass(model, IdentifiedModel) and model.canonical_path_prefix
    }


def canonical(request: HttpRequest, prefix: str, uuid: uuid_lib.UUID) -> HttpResponse:
    model = _models_by_prefix().get(prefix)
    if model is None:
        raise Http404
    obj = model._default_manager.filter(uuid=uuid).first()
    if obj is None or not hasattr(obj, "get_absolute_url"):
        raise Http404
    if isinstance(obj, VisibleContent) and not can_view(obj, viewer_for(request.user)):
        raise Http404
    return redirect(obj.get_absolute_url())
