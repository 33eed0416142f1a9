"""A page number far past any calendar is read as the last possible page, not a 500."""

from django.test import Client


def test_calendar_huge_page(db):
    r = Client().get("/comms/calendar/", {"page": "1180591620717411303424"})
    assert r.status_code == 200
