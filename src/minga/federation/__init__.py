"""Federation: ActivityPub between Minga servers and with the fediverse (Mastodon and others).

Organizations of the registry are ActivityPub actors (discoverable by WebFinger, with their
keys); this app keeps remote actors and servers, follows in both directions, the durable
inbox (every incoming activity is stored before it is processed) and outbox (a delivery queue
in the database, advanced by ``minga stator`` with retries), HTTP Signatures (draft-cavage
out, draft-cavage and RFC 9421 in), blocks by administrators, limits, and the guard against
server-side request forgery.

It imports ``common``, ``people`` and the registry's selectors. Apps that publish content
(``comms``) call its services and plug into ``hooks`` to receive content; it never imports
them.
"""
