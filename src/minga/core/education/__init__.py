"""The pure core of education: completion rules, offline attendance merging, certificates.

No Django and nothing else of Minga: dataclasses in, dataclasses out. The education app
loads rows into these types and stores what they decide; ``minga certificate verify`` uses
:mod:`.certificates` to check a certificate offline with nothing but a public key.
"""
