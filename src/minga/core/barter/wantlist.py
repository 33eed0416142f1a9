"""Reader for math-trade want lists in the TradeMaximizer-style text format.

Format, one want list per line::

    (username) ITEM : WANT1 WANT2 ; WANT3 %DUMMY

* ``#`` starts a comment line; ``#!`` lines set options and must come before
  the official names and the first want list.
* ``(username)`` is optional unless ``#! REQUIRE-USERNAMES``; without it each
  item counts as its own participant (the file says nothing about owners).
* ``:`` after the item name is optional unless ``#! REQUIRE-COLONS``; anywhere
  else it is an error. ``:`` and ``;`` separate tokens even without spaces, so
  they cannot be part of a name.
* Ranks are positions: the first want has rank 1, each next one adds
  SMALL-STEP (default 1), or BIG-STEP (default 9) when a ``;`` precedes it.
  Wants that are dropped (unknown, repeated, own items) still use their place.
* ``%NAME`` is a dummy item (``#! ALLOW-DUMMIES``, usernames required). Dummy
  names are private to their user: ``%X`` in alice's lines is alice's ``%X``.
* ``!BEGIN-OFFICIAL-NAMES`` ... ``!END-OFFICIAL-NAMES`` lists the official item
  names (the first word of each line; the rest is a description).
* Names are case-insensitive unless ``#! CASE-SENSITIVE``; output uses the
  spelling of the item's own want list.

Errors (:class:`WantlistError`, with the 1-based line number): malformed lines,
an item with two want lists, dummies without ALLOW-DUMMIES or without a
username, misplaced options, unbalanced official-name blocks, bad option
values, EXPLICIT-PRIORITIES (unsupported) and, under
``#! REQUIRE-OFFICIAL-NAMES``, offered items missing from the official names.
Warnings (as in TradeMaximizer, the trade still runs): wants naming items that
nobody offers (dropped), repeated wants (the first is kept), and names outside
the official list. Options that only change TradeMaximizer's report or its
randomised search (HIDE-*, SHOW-*, ITERATIONS, SEED, METRIC, priorities
schemes, ...) are recorded in ``ignored_options``.

The reader builds the barter in columns (:class:`~minga.core.barter.model.WantTable`),
turning each line's wants into item numbers with a few list and dict operations
rather than an object per want; ``ParsedWantlist.problem`` gives the same barter
as :class:`~minga.core.barter.model.BarterProblem` objects when asked for.

May import: the standard library only (and this package's model).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from minga.core.barter.model import BarterProblem, WantTable

_Norm = Callable[[str], str]


class WantlistError(ValueError):
    """A want list that cannot be read; ``line`` is 1-based."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


@dataclass(frozen=True, slots=True)
class WantlistOptions:
    """The ``#!`` options that change what the file means."""

    allow_dummies: bool = False
    require_colons: bool = False
    require_usernames: bool = False
    require_official_names: bool = False
    case_sensitive: bool = False
    small_step: int = 1
    big_step: int = 9


@dataclass(frozen=True, slots=True)
class ParsedWantlist:
    """A want-list file turned into a barter (``table``, or ``problem`` as objects), with
    what was set aside."""

    table: WantTable
    options: WantlistOptions
    ignored_options: tuple[str, ...]
    warnings: tuple[str, ...]
    unknown_wants: tuple[str, ...]
    unofficial_names: tuple[str, ...]
    official_names: tuple[str, ...] | None
    has_usernames: bool

    @property
    def problem(self) -> BarterProblem:
        """The barter as :class:`BarterProblem` objects (built anew on each access)."""
        return self.table.to_problem()


_FLAG_OPTIONS = {
    "ALLOW-DUMMIES": "allow_dummies",
    "REQUIRE-COLONS": "require_colons",
    "REQUIRE-USERNAMES": "require_usernames",
    "REQUIRE-OFFICIAL-NAMES": "require_official_names",
    "CASE-SENSITIVE": "case_sensitive",
}
_STEP_OPTIONS = {"SMALL-STEP": "small_step", "BIG-STEP": "big_step"}
# Accepting these would silently change the ranks the file means.
_UNSUPPORTED_OPTIONS = {"EXPLICIT-PRIORITIES"}


@dataclass(slots=True)
class _Entry:
    line: int
    key: str
    name: str
    user_key: str | None
    owner: str
    dummy: bool
    # The wanted names as written (";" left out) and their ranks.
    wants: list[str] = field(default_factory=list)
    ranks: list[int] = field(default_factory=list)
    wants_dummies: bool = False


def _parse_options(
    text: str, line: int, options: WantlistOptions, ignored: list[str]
) -> WantlistOptions:
    for token in text.split():
        word, _, value = token.upper().partition("=")
        if word in _FLAG_OPTIONS:
            options = replace(options, **{_FLAG_OPTIONS[word]: True})
        elif word in _STEP_OPTIONS:
            if not value.isdecimal():
                raise WantlistError(line, f"option {word} needs a whole number, as {word}=1")
            if word == "SMALL-STEP":
                options = replace(options, small_step=int(value))
            else:
                options = replace(options, big_step=int(value))
        elif word in _UNSUPPORTED_OPTIONS:
            raise WantlistError(line, f"option {word} is not supported")
        else:
            ignored.append(token)
    return options


def parse_wantlist(text: str) -> ParsedWantlist:
    """Read a want-list file; raise :class:`WantlistError` naming the line on bad input."""
    ignored: list[str] = []
    options = WantlistOptions()
    options_open = True
    official: dict[str, str] = {}
    has_official = False
    official_open_line: int | None = None
    entries: list[_Entry] = []
    by_key: dict[str, _Entry] = {}
    user_spelling: dict[str, str] = {}

    def norm(name: str) -> str:
        return name if options.case_sensitive else name.upper()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if official_open_line is not None:
            if line.upper() == "!END-OFFICIAL-NAMES":
                official_open_line = None
            elif line and not line.startswith("#"):
                if line.startswith("!"):
                    raise WantlistError(number, f"unexpected {line.split()[0]} in official names")
                name = line.split()[0]
                official.setdefault(norm(name), name)
            continue
        if not line:
            continue
        if line.startswith("#!"):
            if not options_open:
                raise WantlistError(
                    number, "options (#!) must come before official names and want lists"
                )
            options = _parse_options(line[2:], number, options, ignored)
            continue
        if line.startswith("#"):
            continue
        if line.startswith("!"):
            directive = line.split()[0].upper()
            if directive == "!BEGIN-OFFICIAL-NAMES":
                if has_official:
                    raise WantlistError(number, "a second !BEGIN-OFFICIAL-NAMES block")
                if entries:
                    raise WantlistError(number, "official names must come before the want lists")
                has_official = True
                official_open_line = number
                options_open = False
                continue
            if directive == "!END-OFFICIAL-NAMES":
                raise WantlistError(number, "!END-OFFICIAL-NAMES without !BEGIN-OFFICIAL-NAMES")
            raise WantlistError(number, f"unknown directive {line.split()[0]}")

        options_open = False
        entry = _parse_line(line, number, options, norm)
        if entry.user_key is not None:
            entry.owner = user_spelling.setdefault(entry.user_key, entry.owner)
        previous = by_key.get(entry.key)
        if previous is not None:
            raise WantlistError(
                number, f"item {entry.name} already has a want list (line {previous.line})"
            )
        by_key[entry.key] = entry
        entries.append(entry)

    if official_open_line is not None:
        raise WantlistError(official_open_line, "!BEGIN-OFFICIAL-NAMES is never closed")
    return _resolve(entries, by_key, options, ignored, official if has_official else None, norm)


def _parse_line(line: str, number: int, options: WantlistOptions, norm: _Norm) -> _Entry:
    rest = line
    user: str | None = None
    if rest.startswith("("):
        close = rest.find(")")
        if close < 0:
            raise WantlistError(number, "missing ')' after the username")
        user = rest[1:close].strip()
        if not user:
            raise WantlistError(number, "empty username")
        rest = rest[close + 1 :]
    elif options.require_usernames:
        raise WantlistError(number, "missing (username) at the start of the line")

    tokens = rest.replace(":", " : ").replace(";", " ; ").split()
    if not tokens or tokens[0] in {":", ";"}:
        raise WantlistError(number, "missing item name")
    name, wants = tokens[0], tokens[1:]
    if wants and wants[0] == ":":
        wants = wants[1:]
    elif options.require_colons:
        raise WantlistError(number, f"missing ':' after item name {name}")
    if ":" in wants:
        raise WantlistError(number, "':' may only follow the item name")

    dummy = name.startswith("%")
    wants_dummies = False
    if "%" in rest:
        for word in (name, *wants):
            if not word.startswith("%"):
                continue
            if not options.allow_dummies:
                raise WantlistError(number, f"dummy item {word} needs '#! ALLOW-DUMMIES'")
            if user is None:
                raise WantlistError(number, f"dummy item {word} needs a (username) on its line")
            if word == "%":
                raise WantlistError(number, "dummy item without a name after '%'")
        wants_dummies = any(word.startswith("%") for word in wants)

    user_key = None if user is None else norm(user)
    entry = _Entry(
        line=number,
        key=_key(name, user_key, norm),
        name=f"{name}@{user}" if dummy else name,
        user_key=user_key,
        owner=user if user is not None else name,
        dummy=dummy,
        wants_dummies=wants_dummies,
    )
    if ";" not in wants:
        # Ranks are positions: 1, then SMALL-STEP more for each next want.
        step = options.small_step
        entry.wants = wants
        entry.ranks = list(range(1, 1 + step * len(wants), step)) if step else [1] * len(wants)
        return entry
    rank = 0
    big = False
    for word in wants:
        if word == ";":
            big = True
            continue
        if rank == 0:
            rank = 1
        else:
            rank += options.big_step if big else options.small_step
        big = False
        entry.wants.append(word)
        entry.ranks.append(rank)
    return entry


def _key(token: str, user_key: str | None, norm: _Norm) -> str:
    # Dummies are private to their user, so the user is part of their identity.
    if token.startswith("%"):
        return f"{norm(token)}@{user_key}"
    return norm(token)


def _resolve(
    entries: list[_Entry],
    by_key: dict[str, _Entry],
    options: WantlistOptions,
    ignored: list[str],
    official: dict[str, str] | None,
    norm: _Norm,
) -> ParsedWantlist:
    warnings: list[str] = []
    unknown: dict[str, str] = {}
    unofficial: dict[str, str] = {}
    number_of = {key: number for number, key in enumerate(by_key)}
    starts = [0]
    wanted: list[int] = []
    ranks: list[int] = []
    for entry in entries:
        if official is not None and not entry.dummy and entry.key not in official:
            if options.require_official_names:
                raise WantlistError(entry.line, f"item {entry.name} is not an official name")
            unofficial.setdefault(entry.key, entry.name)
            warnings.append(f"line {entry.line}: item {entry.name} is not an official name")
        tokens = entry.wants
        if entry.wants_dummies:
            keys = [_key(token, entry.user_key, norm) for token in tokens]
        elif options.case_sensitive:
            keys = tokens
        else:
            keys = list(map(str.upper, tokens))
        if official is not None:
            for token, key in zip(tokens, keys, strict=True):
                if not token.startswith("%") and key not in official:
                    unofficial.setdefault(key, token)
        targets = list(map(number_of.get, keys))
        if None not in targets and len(set(targets)) == len(targets):
            # The usual line: every want names an offered item, none twice.
            wanted.extend(targets)  # type: ignore[arg-type]  # None was just ruled out
            ranks.extend(entry.ranks)
        else:
            _resolve_slowly(entry, keys, targets, wanted, ranks, unknown, warnings)
        starts.append(len(wanted))

    return ParsedWantlist(
        table=WantTable(
            names=[entry.name for entry in entries],
            owners=[entry.owner for entry in entries],
            dummy=[entry.dummy for entry in entries],
            starts=starts,
            wanted=wanted,
            ranks=ranks,
        ),
        options=options,
        ignored_options=tuple(ignored),
        warnings=tuple(warnings),
        unknown_wants=tuple(sorted(unknown.values())),
        unofficial_names=tuple(sorted(unofficial.values())),
        official_names=None if official is None else tuple(sorted(official.values())),
        has_usernames=any(entry.user_key is not None for entry in entries),
    )


def _resolve_slowly(
    entry: _Entry,
    keys: list[str],
    targets: list[int | None],
    wanted: list[int],
    ranks: list[int],
    unknown: dict[str, str],
    warnings: list[str],
) -> None:
    """Resolve a line that wants unknown items or an item twice, and warn about it."""
    seen: set[int] = set()
    missing: list[str] = []
    repeated: list[str] = []
    for token, key, target, rank in zip(entry.wants, keys, targets, entry.ranks, strict=True):
        if target is None:
            missing.append(token)
            unknown.setdefault(key, token)
            continue
        if target in seen:
            repeated.append(token)
            continue
        seen.add(target)
        wanted.append(target)
        ranks.append(rank)
    if missing:
        warnings.append(
            f"line {entry.line}: {entry.name} wants items nobody offers: {' '.join(missing)}"
        )
    if repeated:
        warnings.append(
            f"line {entry.line}: {entry.name} lists more than once: {' '.join(repeated)}"
        )
