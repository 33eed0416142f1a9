from .actors import RemoteActor, RemoteServer
from .blocks import ActorBlock, DomainBlock
from .follows import Follow
from .inbox import InboxItem
from .keys import SigningKey
from .outbox import Delivery, OutboxActivity

__all__ = [
    "ActorBlock",
    "Delivery",
    "DomainBlock",
    "Follow",
    "InboxItem",
    "OutboxActivity",
    "RemoteActor",
    "RemoteServer",
    "SigningKey",
]
