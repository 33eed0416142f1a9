"""Debate spaces: open forums of a body, with the same comment threads as proposals."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from minga.assemblies import services
from minga.assemblies.models import Comment, DebateSpace
from minga.common.errors import DomainError
from minga.common.models import Visibility

from .conftest import Congress, proposal_to_vote


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_comment_belongs_to_exactly_one_place(congress: Congress) -> None:
    """The database refuses a comment on both a proposal and a debate, or on neither."""
    proposal = proposal_to_vote(congress)
    debate = services.debate_create(actor=congress.delegates[0], body=congress.body, title="Agua")
    author = congress.delegates[0]
    with transaction.atomic(), pytest.raises(IntegrityError):
        Comment.objects.create(proposal=proposal, debate=debate, author=author, text="x")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Comment.objects.create(author=author, text="x")


def test_debate_comments_and_replies(congress: Congress) -> None:
    """A debate takes comments and replies; a reply to another debate's comment is refused."""
    debate = services.debate_create(
        actor=congress.delegates[0], body=congress.body, title="Agua", theme="El *agua*"
    )
    other = services.debate_create(actor=congress.delegates[0], body=congress.body, title="Luz")
    first = services.debate_comment_add(actor=congress.delegates[1], debate=debate, text="Sí")
    reply = services.debate_comment_add(
        actor=congress.delegates[2], debate=debate, text="De acuerdo", parent=first
    )
    assert reply.parent == first and reply.proposal is None
    with pytest.raises(DomainError) as error:
        services.debate_comment_add(
            actor=congress.delegates[2], debate=other, text="x", parent=first
        )
    assert error.value.field == "parent"
    with pytest.raises(DomainError) as error:
        services.debate_create(actor=congress.delegates[0], body=congress.body, title=" ")
    assert error.value.field == "title"


def test_debate_pages_create_and_take_part(congress: Congress) -> None:
    """Members open a debate and comment from pages; outsiders are refused; anyone reads."""
    new_url = reverse("assemblies:debate_new", args=[congress.body.slug])
    assert _client(congress.outsider).get(new_url).status_code == 403
    delegate = _client(congress.delegates[0])
    response = delegate.post(
        new_url, {"title": "Agua", "theme": "Cuidar el agua", "language": "es"}
    )
    debate = DebateSpace.objects.get()
    assert response["Location"] == debate.get_absolute_url()
    comment_url = reverse("assemblies:debate_comment_add", args=[debate.uuid])
    delegate.post(comment_url, {"text": "**Primero**"})
    root = Comment.objects.get()
    response = _client(congress.delegates[1]).post(
        comment_url, {"text": "Respuesta", "parent": root.pk}
    )
    assert response["Location"].endswith(f"#comment-{Comment.objects.get(parent=root).pk}")
    assert _client(congress.outsider).post(comment_url, {"text": "x"}).status_code == 403
    page = Client().get(debate.get_absolute_url()).content.decode()
    assert "<strong>Primero</strong>" in page and "Respuesta" in page
    listing = Client().get(reverse("assemblies:debates", args=[congress.body.slug]))
    assert "Agua" in listing.content.decode()


def test_restricted_debate_is_hidden(congress: Congress) -> None:
    """A custodians-only debate is a 404 to others and absent from the list."""
    debate = services.debate_create(
        actor=congress.delegates[0],
        body=congress.body,
        title="Secreto",
        visibility=Visibility.CUSTODIANS,
    )
    assert Client().get(debate.get_absolute_url()).status_code == 404
    listing = Client().get(reverse("assemblies:debates", args=[congress.body.slug]))
    assert "Secreto" not in listing.content.decode()


def test_debate_list_has_constant_queries(
    congress: Congress, django_assert_max_num_queries: Any
) -> None:
    """More debates (with comments) cost no more queries on the list."""
    url = reverse("assemblies:debates", args=[congress.body.slug])

    def add(count: int) -> None:
        for number in range(count):
            debate = services.debate_create(
                actor=congress.delegates[number % 3], body=congress.body, title=f"D{number}"
            )
            services.debate_comment_add(actor=congress.delegates[0], debate=debate, text="c")

    add(2)
    client = Client()
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count('class="card"') == 12
