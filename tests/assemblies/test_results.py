"""Follow-up of agreements: progress rolled up by weight, milestones, dashboard and CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from minga.assemblies import services
from minga.assemblies.models import Milestone
from minga.assemblies.progress import DEFAULT_PROGRESS, Node, roll_up
from minga.common.errors import DomainError
from tests import factories

from .conftest import Congress

STATUSES = sorted(DEFAULT_PROGRESS)


@st.composite
def trees(draw: st.DrawFn) -> dict[int, Node[int]]:
    size = draw(st.integers(min_value=1, max_value=12))
    nodes: dict[int, Node[int]] = {}
    for key in range(size):
        parent = draw(st.one_of(st.none(), st.integers(0, key - 1))) if key else None
        nodes[key] = Node(
            key,
            parent,
            draw(st.integers(1, 5)),
            draw(st.sampled_from(STATUSES)),
            draw(st.one_of(st.none(), st.integers(0, 100))),
        )
    return nodes


@given(trees())
def test_progress_stays_between_children(nodes: dict[int, Node[int]]) -> None:
    """A parent's progress lies between its counted children's; leaves keep their own."""
    progress = roll_up(nodes)
    for key, node in nodes.items():
        counted = [
            progress[child]
            for child, other in nodes.items()
            if other.parent == key and other.status != "dropped"
        ]
        assert 0 <= progress[key] <= 100
        if counted:
            assert min(counted) - 1 <= progress[key] <= max(counted)
        else:
            assert progress[key] == node.own_progress


def test_weighted_roll_up_and_status_defaults() -> None:
    """Done (100) with weight 3 and planned (0) with weight 1 give 75; dropped is ignored."""
    nodes = {
        1: Node(1, None, 1, "in_progress"),
        2: Node(2, 1, 3, "done"),
        3: Node(3, 1, 1, "planned"),
        4: Node(4, 1, 5, "dropped"),
    }
    assert roll_up(nodes) == {1: 75, 2: 100, 3: 0, 4: 0}


def _tree(congress: Congress) -> tuple[Any, Any, Any]:
    root = services.result_create(
        actor=congress.chair,
        body=congress.body,
        title="Fondo de semillas en marcha",
        responsible=congress.network,
        due_on=timezone.localdate() + timedelta(days=90),
    )
    seeds = services.result_create(
        actor=congress.chair,
        body=congress.body,
        title="=Recolectar semillas",
        responsible=congress.orgs[0],
        parent=root,
        weight=3,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    store = services.result_create(
        actor=congress.chair,
        body=congress.body,
        title="Casa de semillas",
        responsible=congress.orgs[1],
        parent=root,
    )
    return root, seeds, store


def test_responsible_reports_progress_and_milestones(congress: Congress) -> None:
    """The responsible organization's spokesperson updates status and reaches milestones
    with evidence; another organization's is refused by permission."""
    from minga.common.permissions import has_perm

    _root, seeds, _store = _tree(congress)
    speaker = congress.delegates[0]
    assert has_perm(speaker, "assemblies.result.update", seeds)
    assert not has_perm(congress.delegates[1], "assemblies.result.update", seeds)
    services.result_update(actor=speaker, result=seeds, status="in_progress", progress=40)
    milestone = services.milestone_add(actor=speaker, result=seeds, title="Primera cosecha")
    with pytest.raises(DomainError):
        services.milestone_reach(actor=speaker, milestone=milestone, reached_on=date(2026, 11, 1))
    with pytest.raises(DomainError) as refused:
        services.milestone_reach(
            actor=speaker,
            milestone=milestone,
            reached_on=date(2026, 11, 1),
            evidence_url="http://example.org/fotos",
        )
    assert refused.value.field == "evidence_url"
    services.milestone_reach(
        actor=speaker,
        milestone=milestone,
        reached_on=date(2026, 11, 1),
        evidence="Fotos de la cosecha",
        evidence_url="https://example.org/fotos",
    )
    assert Milestone.objects.get().reached_on == date(2026, 11, 1)


def test_dashboard_filters_rolls_up_and_exports_csv(
    client: Client, congress: Congress, django_assert_max_num_queries: Any
) -> None:
    """Filters narrow the rows; the parent's progress is rolled up; CSV cells are safe."""
    root, seeds, _store = _tree(congress)
    services.result_update(actor=congress.chair, result=seeds, status="done")
    url = reverse("assemblies:results")
    with django_assert_max_num_queries(6):
        page = client.get(url)
    assert {row[0]: row[1] for row in page.context["rows"]}[root] == 75
    overdue = client.get(url, {"overdue": "on"}).context["rows"]
    assert overdue == []
    assert [
        r.title for r, _p, _d in client.get(url, {"organization": "comuna-2"}).context["rows"]
    ] == ["Casa de semillas"]
    exported = client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][:3] == ["uuid", "body", "title"] and len(rows) == 4
    assert "'=Recolectar semillas" in [row[2] for row in rows]
    with django_assert_max_num_queries(6):
        api = client.get("/api/v1/assemblies/results", {"body": "congreso"}).json()
    by_title = {item["title"]: item["rolled_up_progress"] for item in api["items"]}
    assert by_title["Fondo de semillas en marcha"] == 75


def test_results_pages_and_api_writes(congress: Congress) -> None:
    """Managers create results from the page; the responsible reports through the API."""
    chair = factories.verified_client(congress.chair)
    response = chair.post(
        reverse("assemblies:result_new", args=["congreso"]),
        {"title": "Radio", "responsible": congress.orgs[2].slug, "weight": 2},
    )
    assert response.status_code == 302
    secret = factories.api_token(congress.delegates[2])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    uuid = Client().get("/api/v1/assemblies/results").json()["items"][0]["uuid"]
    updated = api.post(
        f"/api/v1/assemblies/results/{uuid}/status",
        data=json.dumps({"status": "in_progress"}),
        content_type="application/json",
    )
    assert updated.status_code == 200 and updated.json()["rolled_up_progress"] == 50
    created = api.post(
        f"/api/v1/assemblies/results/{uuid}/milestones",
        data=json.dumps({"title": "Antena"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    page = Client().get(reverse("assemblies:result", args=[uuid])).content.decode()
    assert "Antena" in page and "50%" in page
    refused = Client().post(reverse("assemblies:result_update", args=[uuid]), {"part": "status"})
    assert refused.status_code == 302 and "login" in refused["Location"]


def test_dashboard_shows_sub_results_under_their_parent(congress: Congress) -> None:
    """On the dashboard each result is followed by its parts (and theirs), indented, whatever
    their due dates; a part whose parent is filtered out still shows, at the top level."""
    today = timezone.localdate()

    def make(title: str, days: int, parent: Any = None, responsible: Any = None) -> Any:
        return services.result_create(
            actor=congress.chair,
            body=congress.body,
            title=title,
            responsible=responsible or congress.orgs[0],
            parent=parent,
            due_on=today + timedelta(days=days),
        )

    plan = make("Plan de semillas", 90)
    other = make("Radio regional", 30)
    step = make("Inventario de semillas", 10, plan)
    make("Conteo por comuna", 5, step, congress.orgs[1])
    make("Bancos locales", 60, plan)
    page = Client().get(reverse("assemblies:results")).content.decode()
    order = [
        "Radio regional",
        "Plan de semillas",
        "Inventario de semillas",
        "Conteo por comuna",
        "Bancos locales",
    ]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions), positions
    assert 'class="depth-2"' in page and 'class="depth-1"' in page
    assert other.title in page
    filtered = (
        Client()
        .get(reverse("assemblies:results"), {"organization": congress.orgs[1].slug})
        .content.decode()
    )
    assert "Conteo por comuna" in filtered and "Plan de semillas" not in filtered


def test_result_page_shows_the_whole_subtree(congress: Congress) -> None:
    """A result's page lists its parts and their parts, each under its parent."""
    plan = services.result_create(
        actor=congress.chair, body=congress.body, title="Plan", responsible=congress.orgs[0]
    )
    step = services.result_create(
        actor=congress.chair,
        body=congress.body,
        title="Paso uno",
        responsible=congress.orgs[0],
        parent=plan,
    )
    services.result_create(
        actor=congress.chair,
        body=congress.body,
        title="Detalle del paso",
        responsible=congress.orgs[1],
        parent=step,
    )
    page = Client().get(plan.get_absolute_url()).content.decode()
    assert page.index("Paso uno") < page.index("Detalle del paso")
    assert 'class="depth-2"' in page
