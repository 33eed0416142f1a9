"""A delegate's home page says which open votes wait for their seat, until they vote."""

from __future__ import annotations

from minga.assemblies import services
from minga.common.registration import attention_for
from tests.assemblies.conftest import Congress, open_window


def _waiting(person: object) -> dict[str, int]:
    return {item.text: item.count for item in attention_for(person)}


def test_an_open_vote_waits_for_each_seated_delegate_until_they_vote(congress: Congress) -> None:
    vote = services.vote_create(
        actor=congress.chair,
        body=congress.body,
        title="Comisión",
        method="approval",
        choices=["Ana", "Beto"],
        secret=False,
        **open_window(),
    )
    assert _waiting(congress.delegates[0]) == {"1 vote is open to you.": 1}
    assert _waiting(congress.outsider) == {}
    services.ballot_cast(actor=congress.delegates[0], vote=vote, contents={"approved": ["Ana"]})
    assert _waiting(congress.delegates[0]) == {}
    assert _waiting(congress.delegates[1]) == {"1 vote is open to you.": 1}
