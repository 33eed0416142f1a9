"""A separate process that writes to the ledger, for the concurrency and crash tests.

    python -m tests.exchange.ledger_worker PREFIX COUNT ACCOUNT_UUID... [--linked] [--hang]

Submits COUNT transfers (client ids PREFIX-0 …) between the given accounts in batches of
10, and prints one JSON line with how many were created and refused. With ``--hang`` it
submits one linked batch and stops forever just before the transaction commits, so the
test can kill it there.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minga.settings.test")
    import django

    django.setup()
    from minga.common import signing
    from minga.common.permissions import SYSTEM
    from minga.exchange import services

    prefix, count, *rest = sys.argv[1:]
    hang = "--hang" in rest
    linked = "--linked" in rest
    accounts = [value for value in rest if not value.startswith("--")]
    rng = random.Random(prefix)
    inputs = []
    for number in range(int(count)):
        debit, credit = rng.sample(accounts, 2)
        inputs.append(
            services.TransferInput(
                client_id=f"{prefix}-{number}",
                debit=debit,
                credit=credit,
                unit="MINGA",
                amount=rng.randint(1, 50),
            )
        )
    if hang:
        real_sign = signing.sign

        def sign_then_hang(message: bytes) -> bytes:
            signature = real_sign(message)
            print("inside-transaction", flush=True)
            time.sleep(3600)
            return signature

        signing.sign = sign_then_hang  # type: ignore[assignment]
        services.transfers_submit(actor=SYSTEM, inputs=inputs, linked=True)
        return
    created = refused = 0
    for start in range(0, len(inputs), 10):
        outcome = services.transfers_submit(
            actor=SYSTEM, inputs=inputs[start : start + 10], linked=linked
        )
        created += sum(o.status == "created" for o in outcome.outcomes)
        refused += sum(o.status == "refused" for o in outcome.outcomes)
    print(json.dumps({"created": created, "refused": refused}), flush=True)


if __name__ == "__main__":
    main()
