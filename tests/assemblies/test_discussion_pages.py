"""Long discussions and long lists come by pages, with a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from minga.assemblies import selectors, services
from minga.assemblies.models import Comment

from .conftest import Congress, proposal_to_vote


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_comment_keeps_its_rendered_sanitized_text(congress: Congress) -> None:
    """A comment is rendered and sanitized once, when written; scripts never survive."""
    proposal = proposal_to_vote(congress)
    comment = services.comment_add(
        actor=congress.delegates[0], proposal=proposal, text="*sí* <script>alert(1)</script>"
    )
    assert "<em>sí</em>" in comment.text_html and "<script" not in comment.text_html


def test_discussion_is_paginated_by_threads(congress: Congress) -> None:
    """Threads come twenty roots a page with all their replies; a new comment's answer
    leads to the page that shows it."""
    proposal = proposal_to_vote(congress)
    per_page = selectors.COMMENT_THREADS_PER_PAGE
    roots = [
        services.comment_add(actor=congress.delegates[0], proposal=proposal, text=f"raíz {n}")
        for n in range(per_page + 3)
    ]
    services.comment_add(
        actor=congress.delegates[1], proposal=proposal, text="respuesta", parent=roots[0]
    )
    client = Client()
    first = client.get(proposal.get_absolute_url()).content.decode()
    assert "raíz 0</p>" in first and "respuesta" in first and f"raíz {per_page}</p>" not in first
    second = client.get(proposal.get_absolute_url(), {"comments": 2}).content.decode()
    assert f"raíz {per_page + 2}</p>" in second and "raíz 0</p>" not in second
    response = _client(congress.delegates[2]).post(
        reverse("assemblies:comment_add", args=[proposal.uuid]),
        {"text": "tarde", "parent": roots[-1].pk},
    )
    reply = Comment.objects.get(text="tarde")
    assert response["Location"].endswith(f"?comments=2#comment-{reply.pk}")


def test_proposal_list_is_paginated_with_constant_queries(
    congress: Congress, django_assert_max_num_queries: Any
) -> None:
    """The list shows fifty proposals a page; more proposals cost no more queries."""
    for number in range(3):
        services.proposal_create(
            actor=congress.delegates[0],
            body=congress.body,
            on_behalf_of=congress.orgs[0],
            title=f"P{number}",
            text="t",
        )
    url = reverse("assemblies:proposals", args=[congress.body.slug])
    client = Client()
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for number in range(60):
        services.proposal_create(
            actor=congress.delegates[number % 3],
            body=congress.body,
            on_behalf_of=congress.orgs[number % 3],
            title=f"Q{number}",
            text="t",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('class="card"') == 50 and "1 / 2" in page
    assert client.get(url, {"page": 2}).content.decode().count('class="card"') == 13
