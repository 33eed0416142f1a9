"""What error reports (Django's error emails and debug pages) show of a failing request.

Django's :class:`SafeExceptionReporterFilter` hides settings that look secret and what
``sensitive_variables`` / ``sensitive_post_parameters`` mark. Some pages hold data no report
may ever carry (the legal cases of the solidarity funds): an app registers a test of the
request's path with :func:`register_private_requests`, and for those requests the report
shows no POST data and no local variable of any frame — only the traceback's code lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

_private: list[Callable[[str], bool]] = []


def register_private_requests(test: Callable[[str], bool] | str) -> None:
    """Mark requests as private: ``test`` takes the path, or is a regular expression."""
    if isinstance(test, str):
        pattern = re.compile(test)
        _private.append(lambda path: bool(pattern.search(path)))
    else:
        _private.append(test)


def is_private(request: Any) -> bool:
    path = str(getattr(request, "path", "") or "")
    return any(test(path) for test in _private)


class ReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: Any) -> Any:
        if request is not None and is_private(request):
            return dict.fromkeys(request.POST, self.cleansed_substitute)
        return super().get_post_parameters(request)

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        if request is not None and is_private(request):
            return [("…", self.cleansed_substitute)]
        return super().get_traceback_frame_variables(request, tb_frame)
