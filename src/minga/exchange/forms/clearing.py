"""Forms of clearing rounds: uploading obligations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from minga.common.forms import ModelChoice


class ObligationsUploadForm(forms.Form):
    unit: forms.ModelChoiceField[Any] = ModelChoice(
        label=gettext_lazy("Unit of account"), queryset=None, to_field_name="code"
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file: debtor,creditor,amount"),
        help_text=gettext_lazy(
            "Organizations by their short code (slug); amounts as whole minor units."
        ),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
