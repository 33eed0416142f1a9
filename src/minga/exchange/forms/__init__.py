"""Forms of the exchange's pages, one module per aggregate. They parse input only; the
services hold the rules."""

from minga.common.forms import AmountField, to_minor_units

from .agreements import ProposeForm, ReasonForm, amount_in_minor_units
from .clearing import ObligationsUploadForm
from .ledger import (
    FreezeForm,
    LimitsForm,
    OpenAccountForm,
    PaymentForm,
    UnitForm,
    new_client_id,
    plain_amount,
)

__all__ = [
    "AmountField",
    "FreezeForm",
    "LimitsForm",
    "ObligationsUploadForm",
    "OpenAccountForm",
    "PaymentForm",
    "ProposeForm",
    "ReasonForm",
    "UnitForm",
    "amount_in_minor_units",
    "new_client_id",
    "plain_amount",
    "to_minor_units",
]
