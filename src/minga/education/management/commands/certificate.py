"""``minga certificate verify FILE|CODE``: check a certificate against this server.

A verification code is looked up here; a file (or text) in the signed form is checked with
this server's public keys (the current one and every retired one) and then looked up by its
code, so revocation is reported too. ``minga certificate public-key`` prints the current
public key (base64), for offline verifiers. With ``--public-key`` the command runs offline,
without the server (``minga.core.education.command``).
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minga.common import signing
from minga.core.education import certificates as signed_form
from minga.education.models import Certificate


def _is_file(name: str) -> bool:
    try:
        return Path(name).is_file()
    except OSError:  # a name too long for the file system is not a file
        return False


class Command(BaseCommand):
    help = "Verify a certificate (by code or signed form), or print the public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "public-key"])
        parser.add_argument("certificate", nargs="?", help="a code, a file, or the signed form")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "public-key":
            self.stdout.write(base64.b64encode(signing.public_key_bytes()).decode())
            return
        given = (options["certificate"] or "").strip()
        if not given:
            raise CommandError("Give a verification code, a file, or the signed form.")
        if not given.startswith(signed_form.PREFIX + ".") and _is_file(given):
            given = Path(given).read_text(encoding="utf-8", errors="replace").strip()
        if given.startswith(signed_form.PREFIX + "."):
            try:
                verified = signed_form.verify(given, signing.known_public_keys())
            except signed_form.InvalidCertificateError as error:
                raise CommandError(f"REFUSED: {error}") from error
            code = verified.claims.code
            certificate = Certificate.objects.filter(code=code).first()
            if certificate is None or certificate.signed != given:
                raise CommandError(f"REFUSED: this server holds no certificate {code}.")
        else:
            certificate = Certificate.objects.filter(code=given.upper()).first()
            if certificate is None:
                raise CommandError(f"REFUSED: no certificate has the code {given!r}.")
            try:
                verified = signed_form.verify(certificate.signed, signing.known_public_keys())
            except signed_form.InvalidCertificateError as error:
                raise CommandError(
                    f"REFUSED: the stored signature does not hold: {error}"
                ) from error
        claims = verified.claims
        if certificate.revoked_at is not None:
            raise CommandError(
                f"REVOKED on {certificate.revoked_at:%Y-%m-%d}: {certificate.revocation_reason}"
            )
        self.stdout.write(
            f"VALID {claims.code}: {claims.holder}, {claims.course} ({claims.school})"
        )
