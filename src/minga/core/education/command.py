"""``minga certificate verify FILE|TOKEN --public-key KEY``: check a certificate offline.

Runs without Django and without the server: the certificate's compact form (a file holding
it, or the text itself) and one or more public keys (PEM or base64 files) are enough. The
server's own command (``minga certificate verify CODE`` without ``--public-key``) also says
whether the certificate was revoked. Exit status 0 when valid, 1 when refused, 2 for usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .certificates import PREFIX, InvalidCertificateError, read_public_key, verify


def _token(argument: str) -> str:
    if argument.startswith(PREFIX + "."):
        return argument.strip()
    try:
        return Path(argument).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return argument.strip()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="minga certificate")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="check a certificate's signature offline")
    check.add_argument("certificate", help="a file holding the certificate, or its text")
    check.add_argument(
        "--public-key", action="append", required=True, help="a PEM or base64 public key file"
    )
    arguments = parser.parse_args(argv)
    try:
        keys = [
            read_public_key(Path(name).read_text(encoding="utf-8")) for name in arguments.public_key
        ]
    except (OSError, InvalidCertificateError, ValueError) as error:
        print(f"error: --public-key: {error}", file=sys.stderr)
        return 2
    try:
        verified = verify(_token(arguments.certificate), keys)
    except InvalidCertificateError as error:
        print(f"REFUSED: {error}")
        return 1
    claims = verified.claims
    print(f"VALID signature (key {verified.key_id[:16]}…)")
    print(f"code:      {claims.code}")
    print(f"holder:    {claims.holder}")
    print(f"course:    {claims.course} ({claims.language}), {claims.hours} h")
    print(f"school:    {claims.school}")
    print(f"dates:     {claims.starts_on} – {claims.ends_on}, issued {claims.issued_on}")
    print(f"status at: {claims.url} (revocation is known only to the issuing server)")
    return 0
