"""Durable background work: objects that carry their own state, advanced by the worker.

Work that must survive a restart (a reservation to expire at its timeout, a reminder to
send before a deadline, an activity to deliver to a remote inbox) is not a task fired once
on commit: the object itself stores its state and when to look at it next, and the worker
(``minga stator``) keeps bringing due objects to their next state, in the spirit of
Takahe's Stator. A crash loses nothing: the state is in the database, and the worker picks
it up again. Handlers must be safe to run twice.

A model derives from :class:`StatefulModel` and declares its graph::

    class Reminder(StatefulModel):
        graph = StateGraph(
            initial="due",
            states={
                "due": State(handler="send", max_attempts=8, gives_up_to="failed"),
                "sent": State(),
                "failed": State(),
            },
        )

        def send(self) -> str | None:  # the next state, or None to look again later
            ...

A handler that raises is retried with exponential backoff (``retry_base * 2**attempts``,
at most ``retry_cap``); after ``max_attempts`` the object moves to ``gives_up_to``. A model
may compute the delay itself (:meth:`StatefulModel.retry_delay`), e.g. from a setting.

A handler that waits on the network (a delivery to a remote inbox, an email) must not hold
the database's write lock while it waits: its state says ``claim_for``. The worker then
*claims* the object in a short transaction (pushing ``next_attempt_at`` past the claim, so no
other worker takes it), runs the handler outside any transaction, and records the outcome in
a second short transaction, unless someone changed the object meanwhile. A worker that dies
mid-way loses nothing: the claim expires and the object is due again (handlers are safe to
run twice). Such objects may be advanced by several threads at once (``run_once(threads=)``).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.apps import apps
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class State:
    """One state. With a ``handler`` (a method name) the worker acts on objects in it."""

    handler: str | None = None
    max_attempts: int = 10
    gives_up_to: str | None = None
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(hours=6)
    # Run the handler outside the database transaction, claiming the object this long.
    claim_for: timedelta | None = None

    def retry_delay(self, attempts: int) -> timedelta:
        delay: timedelta = self.retry_base * (2 ** max(attempts - 1, 0))
        return min(self.retry_cap, delay)


@dataclass(frozen=True)
class StateGraph:
    initial: str
    states: dict[str, State] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.initial not in self.states:
            raise ValueError(f"The initial state {self.initial!r} is not a state.")
        for name, state in self.states.items():
            if state.gives_up_to is not None and state.gives_up_to not in self.states:
                raise ValueError(f"{name!r} gives up to an unknown state {state.gives_up_to!r}.")

    @property
    def active(self) -> list[str]:
        return [name for name, state in self.states.items() if state.handler]


class StatefulModel(models.Model):
    """A row whose background work is its state, advanced by the worker."""

    state = models.CharField(_("state"), max_length=32, db_index=True)
    state_changed_at = models.DateTimeField(_("state since"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    graph: ClassVar[StateGraph]

    class Meta:
        abstract = True

    def move_to(self, state: str, *, at: datetime | None = None) -> None:
        """Set a new state now (saved by the caller); work in it is due ``at`` (now by default)."""
        if state not in self.graph.states:
            raise ValueError(f"{state!r} is not a state of {type(self).__name__}.")
        now = timezone.now()
        self.state = state
        self.state_changed_at = now
        self.attempts = 0
        self.last_error = ""
        self.next_attempt_at = (at or now) if self.graph.states[state].handler else None

    def retry_delay(self, state: State) -> timedelta:
        """How long to wait after a failed attempt (``self.attempts`` counts it already)."""
        return state.retry_delay(self.attempts)


def stateful_models() -> list[type[StatefulModel]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, StatefulModel) and getattr(model, "graph", None) is not None
    ]


def due(model: type[StatefulModel], now: datetime) -> models.QuerySet[Any]:
    return model._default_manager.filter(
        state__in=model.graph.active, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")


_FIELDS = ["state", "state_changed_at", "next_attempt_at", "attempts", "last_error"]


def advance(obj: StatefulModel, now: datetime | None = None) -> str:
    """Run the handler of the object's state once and record the outcome."""
    now = now or timezone.now()
    model = type(obj)
    state = model.graph.states.get(obj.state)
    if state is not None and state.claim_for is not None:
        return _advance_claimed(obj, now)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().filter(pk=obj.pk).first()
        if locked is None or locked.state not in model.graph.active:
            return locked.state if locked is not None else ""
        if locked.next_attempt_at is None or locked.next_attempt_at > now:
            return locked.state
        state = model.graph.states[locked.state]
        if state.claim_for is not None:  # the state changed since the object was listed
            return locked.state
        try:
            with transaction.atomic():
                handler = getattr(locked, state.handler or "")
                next_state = handler()
        except Exception:
            _record_failure(locked, state, now)
        else:
            _record_success(locked, state, next_state, now)
        locked.save(update_fields=_FIELDS)
        return locked.state


def _record_failure(obj: StatefulModel, state: State, now: datetime) -> None:
    obj.attempts += 1
    obj.last_error = traceback.format_exc(limit=5)[-4000:]
    if obj.attempts >= state.max_attempts and state.gives_up_to:
        failed_after = obj.attempts
        error = obj.last_error
        obj.move_to(state.gives_up_to)
        obj.attempts, obj.last_error = failed_after, error
    else:
        obj.next_attempt_at = now + obj.retry_delay(state)
    logger.warning("%s %s: %s failed", type(obj).__name__, obj.pk, state.handler)


def _record_success(
    obj: StatefulModel, state: State, next_state: str | None, now: datetime
) -> None:
    if next_state is None or next_state == obj.state:
        # Nothing to do yet; the handler set next_attempt_at if it wants a later look.
        if obj.next_attempt_at is not None and obj.next_attempt_at <= now:
            obj.next_attempt_at = now + state.retry_base
    else:
        obj.move_to(next_state)


def _advance_claimed(obj: StatefulModel, now: datetime) -> str:
    """Claim, run the handler outside any transaction, then record the outcome."""
    model = type(obj)
    manager = model._default_manager
    with transaction.atomic():
        locked = manager.select_for_update().filter(pk=obj.pk).first()
        if locked is None or locked.state not in model.graph.active:
            return locked.state if locked is not None else ""
        if locked.next_attempt_at is None or locked.next_attempt_at > now:
            return locked.state
        state = model.graph.states[locked.state]
        if state.claim_for is None:
            return locked.state
        claimed_until = max(timezone.now(), now) + state.claim_for
        locked.next_attempt_at = claimed_until
        locked.save(update_fields=["next_attempt_at"])
    claimed_state = locked.state
    failed = False
    next_state: str | None = None
    try:
        handler = getattr(locked, state.handler or "")
        next_state = handler()
    except Exception:
        failed = True
        error = traceback.format_exc(limit=5)[-4000:]
    with transaction.atomic():
        current = (
            manager.select_for_update()
            .filter(pk=obj.pk)
            .values_list("state", "next_attempt_at")
            .first()
        )
        if current is None or current != (claimed_state, claimed_until):
            # Changed by someone else while the handler ran: their change wins.
            return current[0] if current is not None else ""
        finished = timezone.now()
        if locked.next_attempt_at == claimed_until:  # the handler asked for no later look
            locked.next_attempt_at = finished
        if failed:
            locked.attempts += 1
            locked.last_error = error
            if locked.attempts >= state.max_attempts and state.gives_up_to:
                failed_after = locked.attempts
                locked.move_to(state.gives_up_to)
                locked.attempts, locked.last_error = failed_after, error
            else:
                locked.next_attempt_at = finished + locked.retry_delay(state)
            logger.warning("%s %s: %s failed", model.__name__, locked.pk, state.handler)
        else:
            _record_success(locked, state, next_state, finished)
        # The handler may have changed fields of its own (a status code, a time): keep them.
        locked.save()
        return locked.state


def run_once(
    models_: Iterable[type[StatefulModel]] | None = None,
    *,
    now: datetime | None = None,
    limit: int = 200,
    threads: int = 1,
) -> int:
    """Advance every due object once; returns how many were looked at.

    With ``threads`` above one, objects are advanced by that many threads at once (each
    with its own database connection); row locks and claims keep them from stepping on
    each other.
    """
    now = now or timezone.now()
    handled = 0
    for model in models_ or stateful_models():
        objects = list(due(model, now)[:limit])
        if threads > 1 and len(objects) > 1:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                list(pool.map(lambda obj: _advance_in_thread(obj, now), objects))
        else:
            for obj in objects:
                advance(obj, now)
        handled += len(objects)
    return handled


def _advance_in_thread(obj: StatefulModel, now: datetime) -> str:
    try:
        return advance(obj, now)
    finally:
        connections.close_all()


def next_due(models_: Iterable[type[StatefulModel]] | None = None) -> datetime | None:
    """When the worker next has something to do, or None when nothing is pending."""
    times = []
    for model in models_ or stateful_models():
        first = (
            model._default_manager.filter(
                state__in=model.graph.active, next_attempt_at__isnull=False
            )
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if first is not None:
            times.append(first)
    return min(times) if times else None


# Sweeps: work found from what the database already says (a reservation whose timeout has
# passed, a result whose reminder is due, a proposal past its amendment window). The state is
# the rows themselves, so a restart loses nothing: the next pass finds what is still due. A
# sweep that fails is logged and tried again at its next interval; each must be safe to run
# twice, as handlers are.


@dataclass(frozen=True)
class Sweep:
    name: str
    run: Any  # () -> int, how many objects it brought forward
    every: timedelta


_SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str, run: Any, *, every: timedelta) -> None:
    """Have ``minga stator`` call ``run()`` every ``every`` (from an app's ``ready()``)."""
    _SWEEPS[name] = Sweep(name, run, every)


def registered_sweeps() -> list[Sweep]:
    return sorted(_SWEEPS.values(), key=lambda sweep: sweep.name)


def run_sweeps(last_runs: dict[str, datetime], now: datetime | None = None) -> int:
    """Run each sweep whose interval has passed since ``last_runs`` (updated in place)."""
    now = now or timezone.now()
    handled = 0
    for sweep in registered_sweeps():
        previous = last_runs.get(sweep.name)
        if previous is not None and now - previous < sweep.every:
            continue
        last_runs[sweep.name] = now
        try:
            handled += int(sweep.run() or 0)
        except Exception:
            logger.exception("The sweep %s failed; it runs again in %s.", sweep.name, sweep.every)
    return handled
