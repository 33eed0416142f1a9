"""iCalendar files: pure helpers, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from minga.common import ical


def test_ical_escapes_and_uses_utc() -> None:
    """Text values escape backslash, semicolon, comma and newlines; times are UTC with Z."""
    caracas = timezone(timedelta(hours=-4))
    text = ical.calendar(
        uid="abc@minga",
        stamp=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        starts_at=datetime(2026, 11, 14, 9, 0, tzinfo=caracas),
        ends_at=datetime(2026, 11, 14, 17, 0, tzinfo=caracas),
        summary="Congreso; sesión, ordinaria",
        location="Casa\\Comunal",
        description="1. Apertura\n2. Informe",
    )
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "DTSTART:20261114T130000Z" in lines and "DTEND:20261114T210000Z" in lines
    assert "SUMMARY:Congreso\\; sesión\\, ordinaria" in lines
    assert "LOCATION:Casa\\\\Comunal" in lines
    assert "DESCRIPTION:1. Apertura\\n2. Informe" in lines
    assert {"UID:abc@minga", "DTSTAMP:20261101T120000Z", "BEGIN:VEVENT", "END:VEVENT"} <= set(lines)


def test_ical_folds_long_lines_at_75_octets_without_breaking_characters() -> None:
    """Every physical line is at most 75 octets; unfolding gives the line back."""
    line = "DESCRIPTION:" + "ñandú kreyòl " * 20
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line
