"""What the fuzz tests share: odd values of every kind, and a reader of the forms a page holds
(every ``<form>``, its fields and what the page itself would send), so that each app's fuzz
test reads its forms from its pages instead of listing them by hand."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("MINGA_FUZZ_EXAMPLES", "4"))
"""Rounds per reader; each round sends a random value to every form and every operation
(raise it for a deeper run: MINGA_FUZZ_EXAMPLES=50)."""

ODD_TEXT = [
    "",
    " ",
    "²",
    "٣",
    "0",
    "-1",
    "1.5",
    "1e999",
    "NaN",
    "null",
    "true",
    "[]",
    "{}",
    str(2**70),
    str(-(2**70)),
    "9" * 5000,
    "x" * 70_000,
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "\x00",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "e\u0301\u0301\u0301",
    "👩🏽‍🌾🌽",
    "\ufeff\u200b",
    "1/0",
    "2/3",
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "2026-02-30",
    "2026-11-29T25:61",
]
JSON_ONLY_TEXT = ["\ud800", "a\udfffb"]


@dataclass
class Form:
    action: str
    method: str
    fields: set[str] = field(default_factory=set)
    defaults: dict[str, str] = field(default_factory=dict)
    """What the page itself would send: values, the first or selected option, checked boxes."""


class FormReader(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._open: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {key: value or "" for key, value in attrs}
        form = self._open
        if tag == "form":
            self._open = Form(named.get("action") or self.page, named.get("method") or "get")
            self.forms.append(self._open)
            return
        if form is None:
            return
        name = named.get("name")
        if tag == "option" and self._select is not None:
            if self._select not in form.defaults or "selected" in named:
                form.defaults[self._select] = named.get("value", "")
            return
        if not name or tag not in ("input", "select", "textarea", "button"):
            return
        form.fields.add(name)
        kind = named.get("type", "")
        if tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            form.defaults.setdefault(name, "Texto.")
        elif tag == "input" and (kind not in ("checkbox", "radio") or "checked" in named):
            form.defaults.setdefault(name, named.get("value") or ("" if kind == "hidden" else "1"))
        elif tag == "input" and kind == "radio":
            form.defaults.setdefault(name, named.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._open is not None and self._textarea is not None and data.strip():
            self._open.defaults[self._textarea] = data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
