"""One reverse() for a page of links: the URLs are those reverse() gives each object."""

import uuid

from django.urls import reverse

from minga.common.views import url_maker


def test_each_url_is_the_one_reverse_gives() -> None:
    make = url_maker("education:cohort")
    for key in (uuid.uuid4(), uuid.uuid4(), uuid.UUID(int=0)):
        assert make(key) == reverse("education:cohort", kwargs={"uuid": key})
        assert make(str(key)) == reverse("education:cohort", kwargs={"uuid": key})
