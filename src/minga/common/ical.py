"""A meeting as an iCalendar file (RFC 5545), written by hand: one VEVENT, CRLF lines
folded at 75 octets, text values escaped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

LINE_LIMIT = 75  # octets, line break excluded (RFC 5545 §3.1)


def escape_text(value: str) -> str:
    """Escape a TEXT value (§3.3.11): backslash, semicolon, comma, and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets; continuations start with a space.

    Never splits a multi-byte UTF-8 character.
    """
    pieces: list[str] = []
    current = ""
    size = 0
    limit = LINE_LIMIT
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = LINE_LIMIT - 1  # the leading space counts
        current += character
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    *,
    uid: str,
    stamp: datetime,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str = "",
    description: str = "",
    url: str = "",
) -> str:
    """A VCALENDAR holding one VEVENT, as text with CRLF line ends."""
    lines: list[str] = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Minga//Assemblies//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(starts_at)}",
        f"DTEND:{format_utc(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)


def agenda_description(intro: str, items: Iterable[tuple[int, str]], link: str = "") -> str:
    """The agenda as plain text for DESCRIPTION: the numbered items, then the online link."""
    parts = [intro.strip()] if intro.strip() else []
    parts += [f"{position}. {title}" for position, title in items]
    if link:
        parts.append(link)
    return "\n".join(parts)
