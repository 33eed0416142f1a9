"""Forms of the assemblies' pages; they only parse input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from minga.common.errors import DomainError
from minga.common.forms import (
    MAX_ID,
    DatePicker,
    DateTimePicker,
    ModelChoice,
    ModelMultipleChoice,
    TextLanguageField,
    preselect_only_choice,
)
from minga.registry.selectors import organization_picker, organizations_by_ids

from .models import (
    AgendaItem,
    DecisionKind,
    Declaration,
    FollowUpResult,
    ResultStatus,
    Vote,
    VotingMethod,
)
from .models.bodies import RANKED_METHODS
from .services.votes import MAX_SCORE

LANGUAGES = [
    ("es", "español"),
    ("pt", "português"),
    ("fr", "français"),
    ("ht", "kreyòl"),
    ("en", "English"),
]


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    on_behalf_of = ModelChoice(label=_("on behalf of"), queryset=organizations_by_ids(()))
    kind = forms.ChoiceField(label=_("kind of decision"), choices=DecisionKind.choices)
    language = TextLanguageField(label=_("language of the text"), choices=LANGUAGES)
    text = forms.CharField(label=_("text"), widget=forms.Textarea, help_text=_("Markdown."))

    def __init__(self, *args: Any, organization_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].queryset = organizations_by_ids(organization_ids)  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["on_behalf_of"])


class AmendmentForm(forms.Form):
    on_behalf_of = ModelChoice(label=_("on behalf of"), queryset=organizations_by_ids(()))
    new_text = forms.CharField(label=_("new text"), widget=forms.Textarea, help_text=_("Markdown."))
    rationale = forms.CharField(label=_("rationale"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, organization_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].queryset = organizations_by_ids(organization_ids)  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["on_behalf_of"])


class CommentForm(forms.Form):
    text = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}))
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    language = TextLanguageField(label=_("language"), choices=LANGUAGES, required=False)


def _whole_number(text: str, low: int, high: int) -> int | None:
    # Decimal digits of any script ("3", "٣"), not every "digit": ``str.isdigit`` also
    # accepts "²", which ``int`` refuses.
    value = text.strip()
    if not value.isdecimal() or len(value) > 6:
        return None
    number = int(value)
    return number if low <= number <= high else None


def ballot_contents(vote: Vote, data: QueryDict) -> dict[str, Any]:
    """Ballot contents from a plain HTML form (no JavaScript): radios, boxes, numbers.

    What cannot be read is refused here, naming the candidate and the form field
    (``rank-2``, ``score-0``); what the method's rules say is checked by the service.
    """
    method = vote.method
    contents: dict[str, Any] = {}
    if data.get("blank"):
        contents["blank"] = True
    if method in (VotingMethod.MAJORITY, VotingMethod.QUALIFIED):
        contents["option"] = data.get("option", "")
    elif method == VotingMethod.CONSENT:
        contents["position"] = data.get("position", "")
        contents["reason"] = data.get("reason", "")
    elif method == VotingMethod.APPROVAL:
        contents["approved"] = data.getlist("approved")
    elif method == VotingMethod.SCORE:
        scores: dict[str, int] = {}
        for index, name in enumerate(vote.choices):
            text = data.get(f"score-{index}", "")
            if not text.strip():
                continue
            score = _whole_number(text, 0, MAX_SCORE)
            if score is None:
                raise DomainError(
                    gettext("The score of “%(name)s” must be a whole number from 0 to %(max)d.")
                    % {"name": name, "max": MAX_SCORE},
                    f"score-{index}",
                    code="score_out_of_range",
                )
            scores[name] = score
        contents["scores"] = scores
    elif method in RANKED_METHODS:
        count = len(vote.choices)
        holder: dict[int, str] = {}
        ranks: list[tuple[int, str]] = []
        for index, name in enumerate(vote.choices):
            text = data.get(f"rank-{index}", "")
            if not text.strip():
                continue
            rank = _whole_number(text, 1, count)
            if rank is None:
                raise DomainError(
                    gettext("The rank of “%(name)s” must be a whole number from 1 to %(count)d.")
                    % {"name": name, "count": count},
                    f"rank-{index}",
                    code="rank_out_of_range",
                )
            if rank in holder:
                raise DomainError(
                    gettext(
                        "“%(first)s” and “%(second)s” both have rank %(rank)d; "
                        "give each candidate a different rank."
                    )
                    % {"first": holder[rank], "second": name, "rank": rank},
                    f"rank-{index}",
                    code="equal_ranks",
                )
            holder[rank] = name
            ranks.append((rank, name))
        contents["ranking"] = [name for _rank, name in sorted(ranks)]
    return contents


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("starts"), widget=DateTimePicker())
    ends_at = forms.DateTimeField(label=_("ends"), widget=DateTimePicker())
    place = forms.CharField(label=_("place"), max_length=255, required=False)
    online_url = forms.CharField(
        label=_("online link"),
        max_length=500,
        required=False,
        help_text=_("An https:// link to a video-conference room."),
    )
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )
    agenda = forms.CharField(
        label=_("agenda"),
        widget=forms.Textarea,
        required=False,
        help_text=_("One item per line, in order."),
    )

    def agenda_items(self) -> list[str]:
        lines = self.cleaned_data["agenda"].splitlines()
        return [line.strip() for line in lines if line.strip()]


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("agenda item"), max_length=200)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("minutes"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )
    language = TextLanguageField(label=_("language"), choices=LANGUAGES)


class DecisionForm(forms.Form):
    agenda_item = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("decision"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Markdown.")
    )


class VoteForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    method = forms.ChoiceField(label=_("method"), choices=VotingMethod.choices)
    opens_at = forms.DateTimeField(label=_("opens"), widget=DateTimePicker())
    closes_at = forms.DateTimeField(label=_("closes"), widget=DateTimePicker())
    secret = forms.BooleanField(label=_("secret ballot"), required=False)
    choices = forms.CharField(
        label=_("options or candidates"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line; leave empty for a vote on a proposal."),
    )
    seats = forms.IntegerField(label=_("seats"), min_value=1, max_value=1000, initial=1)

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in VotingMethod.choices if value in methods
        ]

    def names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class DelegateForm(forms.Form):
    """The member a seat's vote is delegated to, chosen by typing its name (a Congress may
    have a thousand members: no list of them all)."""

    def __init__(self, *args: Any, body: Any, members: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.fields["delegate"] = organization_picker(
            label=_("Delegate its vote to"),
            queryset=members,
            network=body.organization,
        )


class ResultFilterForm(forms.Form):
    body = forms.CharField(label=_("body"), required=False)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", "—"), *ResultStatus.choices]
    )
    organization = forms.CharField(label=_("responsible organization"), required=False)
    overdue = forms.BooleanField(label=_("overdue"), required=False)


class ResultForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    responsible = ModelChoice(
        label=_("responsible organization"), queryset=organizations_by_ids(())
    )
    parent = ModelChoice(label=_("part of"), queryset=FollowUpResult.objects.none(), required=False)
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )
    starts_on = forms.DateField(label=_("starts"), required=False, widget=DatePicker())
    due_on = forms.DateField(label=_("due"), required=False, widget=DatePicker())
    weight = forms.IntegerField(
        label=_("weight in its parent"), min_value=1, max_value=1000, initial=1
    )
    reminder_days = forms.IntegerField(
        label=_("reminder (days before it is due)"),
        min_value=0,
        max_value=365,
        initial=7,
        required=False,
    )
    declaration = ModelChoice(
        label=_("resolution or declaration"), queryset=Declaration.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, body: Any, organizations: Any, declarations: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Chosen by typing its name: a list of every organization would weigh megabytes.
        self.fields["responsible"] = organization_picker(
            label=_("responsible organization"), queryset=organizations, network=body.organization
        )
        self.order_fields(list(type(self).base_fields))
        self.fields["parent"].queryset = FollowUpResult.objects.filter(body=body)  # type: ignore[attr-defined]
        if declarations is not None:
            self.fields["declaration"].queryset = declarations  # type: ignore[attr-defined]

    def clean_reminder_days(self) -> int:
        days = self.cleaned_data.get("reminder_days")
        return 7 if days is None else int(days)


class ResultUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=ResultStatus.choices)
    progress = forms.IntegerField(
        label=_("progress (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave empty to use the usual progress of the status."),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    due_on = forms.DateField(label=_("due"), required=False, widget=DatePicker())


class MilestoneReachForm(forms.Form):
    milestone = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    reached_on = forms.DateField(label=_("reached"), widget=DatePicker())
    evidence = forms.CharField(
        label=_("evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence_url = forms.CharField(label=_("link to the evidence"), max_length=500, required=False)


class WorkingTableForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    theme = forms.CharField(
        label=_("theme"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    agenda_items = ModelMultipleChoice(
        label=_("agenda items"),
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rapporteur = ModelChoice(
        label=_("rapporteur"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_items"].queryset = meeting.agenda_items.all()  # type: ignore[attr-defined]
        self.fields["rapporteur"].queryset = people  # type: ignore[attr-defined]


class RapporteurForm(forms.Form):
    rapporteur = ModelChoice(label=_("rapporteur"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rapporteur"].queryset = people  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    report = forms.CharField(label=_("report"), widget=forms.Textarea, help_text=_("Markdown."))
    language = TextLanguageField(label=_("language of the report"), choices=LANGUAGES)


class TranslationForm(forms.Form):
    language = TextLanguageField(label=_("language"), choices=LANGUAGES)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    text = forms.CharField(label=_("text"), widget=forms.Textarea, help_text=_("Markdown."))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("file"), help_text=_("PDF, ODT, DOCX, PNG, JPEG or WebP; at most 5 MB.")
    )


class DebateForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    theme = forms.CharField(
        label=_("theme"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )
    language = TextLanguageField(label=_("language"), choices=LANGUAGES)
