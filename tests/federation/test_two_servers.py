"""Two Minga servers federate: each a gunicorn and a worker (``minga stator``) of its own,
with its own database, on loopback. Their organizations follow each other and exchange a
bulletin, a campaign and an event; one server is stopped mid-way and restarted, and
nothing the other sent meanwhile is lost: its deliveries wait, retry and arrive."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.federation import servers

# Reads one JSON-encoded script a line, runs it, answers one JSON line: {"result": ...} or
# {"error": traceback}. Each script runs in its own namespace and its own connection state.
SHELL = """
import json, sys, traceback
answers, sys.stdout = sys.stdout, sys.stderr  # whatever the scripts print stays out of the way
import django
django.setup()
from django.db import connections
for line in sys.stdin:
    namespace = {}
    try:
        exec(json.loads(line), namespace)
        answer = {"result": namespace.get("result")}
    except Exception:
        answer = {"error": traceback.format_exc()}
    connections.close_all()  # no lock on the server's SQLite database between scripts
    print(json.dumps(answer, default=str), file=answers, flush=True)
"""


@dataclass
class Server:
    name: str
    port: int
    directory: Path
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    shell: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run(self, code: str) -> Any:
        """Run Python in this server's environment (its settings and database); the value
        of the variable ``result`` comes back as JSON. One Python process per server (the
        shell) takes the scripts one after the other: starting Django for each would cost
        seconds every time."""
        if self.shell is None:
            self.shell = subprocess.Popen(
                [sys.executable, "-c", SHELL],
                env=self.env,
                cwd=servers.ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self.shell.stdin is not None and self.shell.stdout is not None
        self.shell.stdin.write(json.dumps(textwrap.dedent(code)) + "\n")
        self.shell.stdin.flush()
        answer = json.loads(self.shell.stdout.readline() or '{"error": "the shell stopped"}')
        if "error" in answer:
            raise AssertionError(f"{self.name}: {answer['error'][-3000:]}")
        return answer["result"]

    def close_shell(self) -> None:
        if self.shell is not None:
            assert self.shell.stdin is not None
            self.shell.stdin.close()
            self.shell.wait(timeout=30)
            self.shell = None

    def query(self, sql: str, *parameters: Any) -> list[Any]:
        """Read this server's SQLite database directly: polling through ``run`` would start a
        Python process (and Django) at every look."""
        database = self.env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as reader:
            return [row[0] if len(row) == 1 else row for row in reader.execute(sql, parameters)]

    def start(self) -> None:
        log = self.directory / "server.log"
        for command in (
            servers.minga_command(self.port),
            [sys.executable, "-m", "django", "stator", "--threads", "2"],
        ):
            with log.open("ab") as output:
                self.processes.append(
                    subprocess.Popen(
                        command,
                        cwd=servers.ROOT,
                        env=self.env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        servers.wait_until_answering(f"{self.url}/.well-known/nodeinfo")

    def stop(self) -> None:
        for child in self.processes:
            servers.stop(child)
        self.processes.clear()

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as answer:  # noqa: S310 - loopback
            return str(answer.read().decode())


def _database_template(directory: Path) -> Path:
    """A migrated empty database to start each server from: the test database copied when
    it is SQLite, else a fresh migration."""
    template = directory / "template.sqlite3"
    if connection.vendor == "sqlite":
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        target = sqlite3.connect(str(template))
        with target:
            source.backup(target)
        source.close()
        target.close()
    else:
        env = servers.base_environment()
        env.update(
            DJANGO_SETTINGS_MODULE="minga.settings.test",
            DATABASE_URL=f"sqlite:///{template}",
            MINGA_DATA_DIR=str(directory),
        )
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "-v0"],
            env=env,
            cwd=servers.ROOT,
            check=True,
            timeout=900,
        )
    return template


@pytest.fixture
def pair(seeded_transactional_db: None, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    ports = (servers.free_port(), servers.free_port())
    template = _database_template(tmp_path)
    made = []
    for name, port in zip(("andes", "caribe"), ports, strict=True):
        directory = tmp_path / name
        directory.mkdir()
        database = directory / "minga.sqlite3"
        database.write_bytes(template.read_bytes())
        env = servers.base_environment()
        env.update(
            DJANGO_SETTINGS_MODULE="minga.settings.test",
            DATABASE_URL=f"sqlite:///{database}",
            MINGA_DATA_DIR=str(directory),
            MINGA_SITE_URL=f"http://127.0.0.1:{port}",
            MINGA_ALLOWED_HOSTS="127.0.0.1,localhost",
            MINGA_FEDERATION_TEST_HOSTS=",".join(f"127.0.0.1:{p}" for p in ports),
            MINGA_FEDERATION_RETRY_BASE_SECONDS="1",
        )
        made.append(Server(name, port, directory, env))
    with ExitStack() as stack:
        for server in made:
            stack.callback(server.stop)
            stack.callback(server.close_shell)
            server.start()
        yield made[0], made[1]


def _until(condition: Callable[[], Any], what: str, seconds: float = 120) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}")


SETUP = """
from minga.common.permissions import SYSTEM
from minga.people.models import User
from minga.registry.models import Organization, Region, Role
from django.utils import timezone
organization = Organization.objects.create(slug="{slug}", name="{name}", kind="network", country="{country}", region=Region.objects.get(code="south-america"))
editor = User.objects.create(username="editor-{slug}")
Role.objects.create(person=editor, organization=organization, kind="spokesperson", started_on=timezone.localdate())
result = str(organization.uuid)
"""

FOLLOW = """
from minga.federation import services
from minga.people.models import User
from minga.registry.models import Organization
editor = User.objects.get(username="editor-{slug}")
organization = Organization.objects.get(slug="{slug}")
target = services.webfinger("{handle}")
result = services.follow_create(actor=editor, organization=organization, target=target).state
"""


def _follow_states(server: Server, slug: str) -> list[str]:
    return server.query(
        "SELECT f.state FROM federation_follow f JOIN registry_organization o"
        " ON o.id = f.follower_organization_id WHERE o.slug = ?",
        slug,
    )


PUBLISH = """
from datetime import timedelta
from django.utils import timezone
from minga.comms import services
from minga.people.models import User
from minga.registry.models import Organization
editor = User.objects.get(username="editor-{slug}")
organization = Organization.objects.get(slug="{slug}")
campaign = services.campaign_create(actor=editor, organization=organization, data=services.CampaignData(title="{prefix} campaña", starts_on=timezone.localdate(), goals="Soberanía"))
bulletin = services.bulletin_create(actor=editor, organization=organization, data=services.BulletinData(title="{prefix} boletín", body="Texto de {prefix}", language="es"))
services.bulletin_publish(actor=editor, bulletin=bulletin)
starts = timezone.now() + timedelta(days=10)
services.event_create(actor=editor, organization=organization, data=services.EventData(title="{prefix} jornada", starts_at=starts, ends_at=starts + timedelta(hours=2), time_zone="America/Lima", place="Plaza", campaign=campaign))
result = True
"""


def _received(server: Server) -> dict[str, list[str]]:
    """Titles of the other servers' bulletins, campaigns and events held here."""
    return {
        kind: server.query(
            f"SELECT title FROM comms_{table} WHERE remote_actor_id IS NOT NULL"  # noqa: S608 - fixed names
            " ORDER BY title"
        )
        for kind, table in (
            ("bulletins", "bulletin"),
            ("campaigns", "campaign"),
            ("events", "event"),
        )
    }


def _waiting(server: Server) -> list[str]:
    """Inboxes of deliveries that failed at least once and wait for their next attempt."""
    return server.query(
        "SELECT inbox FROM federation_delivery WHERE state = 'queued' AND attempts >= 1"
    )


def test_two_servers_follow_each_other_and_lose_nothing_across_a_restart(
    pair: tuple[Server, Server],
) -> None:
    andes, caribe = pair
    andes.run(SETUP.format(slug="red-andina", name="Red Andina", country="PE"))
    caribe.run(SETUP.format(slug="red-caribe", name="Red del Caribe", country="CU"))
    andes.run(FOLLOW.format(slug="red-andina", handle=f"@red-caribe@127.0.0.1:{caribe.port}"))
    caribe.run(FOLLOW.format(slug="red-caribe", handle=f"@red-andina@127.0.0.1:{andes.port}"))
    _until(
        lambda: _follow_states(andes, "red-andina") == ["accepted"],
        "Andes following Caribe",
    )
    _until(
        lambda: _follow_states(caribe, "red-caribe") == ["accepted"],
        "Caribe following Andes",
    )

    caribe.run(PUBLISH.format(slug="red-caribe", prefix="Caribe"))
    expected = {
        "bulletins": ["Caribe boletín"],
        "campaigns": ["Caribe campaña"],
        "events": ["Caribe jornada"],
    }
    _until(lambda: _received(andes) == expected, "Caribe's bulletin, campaign and event at Andes")

    # Caribe stops; Andes publishes meanwhile; its deliveries wait and retry.
    caribe.stop()
    andes.run(PUBLISH.format(slug="red-andina", prefix="Andes"))
    _until(lambda: _waiting(andes), "a failed attempt to reach the stopped server", seconds=60)
    caribe.start()
    expected = {
        "bulletins": ["Andes boletín"],
        "campaigns": ["Andes campaña"],
        "events": ["Andes jornada"],
    }
    _until(
        lambda: _received(caribe) == expected,
        "Andes's bulletin, campaign and event at Caribe after its restart",
    )

    # The continental calendar: Caribe's calendar shows Andes's event, attributed.
    calendar = caribe.page(
        "/comms/calendar/?month=" + time.strftime("%Y-%m", time.gmtime(time.time() + 10 * 86400))
    )
    assert "Andes jornada" in calendar and f"127.0.0.1:{andes.port}" in calendar
    news = caribe.page("/comms/?origin=elsewhere")
    assert "Andes boletín" in news
