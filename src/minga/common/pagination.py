"""The page number a reader asked for, for views that page by offset themselves.

Django's Paginator bounds its own numbers; a view that computes ``OFFSET`` itself (a merged
calendar, a search engine's results, an ActivityPub collection) must bound the number too,
or a page past 2**63 overflows the database's integer and answers 500.
"""

from __future__ import annotations

from django.http import HttpRequest


def page_number(request: HttpRequest, *, last: int, name: str = "page") -> int:
    """The number in ``?<name>=``, clamped to 1..last; 1 when absent or not a number."""
    try:
        number = int(request.GET.get(name, "1"))
    except ValueError:
        return 1
    return min(max(1, number), last)
