"""Writes of the seed bank. Each function is keyword-only, atomic, guarded and audited; a
refusal raises :class:`~minga.common.errors.DomainError` naming the input and writes nothing.
"""

from .accessions import (
    AccessionData,
    AccessionEdit,
    accession_create,
    accession_link_item,
    accession_unlink_item,
    accession_update,
    accessions_import,
)
from .banks import BankData, bank_create, bank_update
from .lots import (
    LotData,
    TestData,
    lot_create,
    regeneration_harvest,
    regeneration_plan,
    test_record,
)
from .requests import (
    RequestData,
    request_approve,
    request_cancel,
    request_create,
    request_refuse,
    request_ship,
)

__all__ = [
    "AccessionData",
    "AccessionEdit",
    "BankData",
    "LotData",
    "RequestData",
    "TestData",
    "accession_create",
    "accession_link_item",
    "accession_unlink_item",
    "accession_update",
    "accessions_import",
    "bank_create",
    "bank_update",
    "lot_create",
    "regeneration_harvest",
    "regeneration_plan",
    "request_approve",
    "request_cancel",
    "request_create",
    "request_refuse",
    "request_ship",
    "test_record",
]
