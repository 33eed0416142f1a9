"""Forms of education's pages: thin, the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from minga.common.forms import DatePicker, DateTimePicker, ModelMultipleChoice
from minga.common.models import Visibility
from minga.registry.selectors import organization_picker

from .models import Course, Topic
from .types import Admission, AttendanceStatus, Level, MaterialKind, OnBehalf

LANGUAGES = [(code, name) for code, name in settings.LANGUAGES]
MARKING_KINDS = [
    ("pass_fail", _("Pass or fail")),
    ("points", _("Points, with a pass mark")),
    ("rubric", _("A rubric: criteria with levels worth points")),
]


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_picker(
            queryset=organizations, label=_("Organization")
        )
        if organizations.count() == 1:
            self.initial.setdefault("organization", organizations.get())


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )
    language = forms.ChoiceField(label=_("Language of teaching"), choices=LANGUAGES)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    hours = forms.IntegerField(label=_("Hours"), min_value=0, max_value=10000, initial=0)
    min_attendance_percent = forms.IntegerField(
        label=_("Minimum attendance (%)"), min_value=0, max_value=100, initial=75
    )
    final_assessment_required = forms.BooleanField(
        label=_("A final assessment is required"), required=False
    )
    on_behalf = forms.ChoiceField(
        label=_("Organizations"), choices=OnBehalf.choices, initial=OnBehalf.FREE, required=False
    )
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices)
    topics = ModelMultipleChoice(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    prerequisites = ModelMultipleChoice(
        label=_("Prerequisites"),
        queryset=Course.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Courses to take before this one."),
    )

    def clean_on_behalf(self) -> str:
        return str(self.cleaned_data.get("on_behalf") or OnBehalf.FREE)

    def __init__(self, *args: Any, earlier_courses: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if earlier_courses is not None and earlier_courses.exists():
            self.fields["prerequisites"].queryset = earlier_courses  # type: ignore[attr-defined]
        else:
            del self.fields["prerequisites"]


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )


class AudioForm(forms.Form):
    audio = forms.FileField(
        label=_("Recording"),
        help_text=_("MP3, Ogg, Opus, FLAC, WAV or M4A, up to 200 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=MaterialKind.choices,
        widget=forms.RadioSelect,
        initial=MaterialKind.FILE,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A document, an image or a recording, up to 50 MB."),
    )
    item = forms.CharField(
        label=_("Library item"),
        max_length=300,
        required=False,
        help_text=_("The address or the identifier of the item."),
    )
    url = forms.URLField(
        label=_("Video address"), max_length=500, required=False, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = {
            MaterialKind.FILE: "file",
            MaterialKind.LIBRARY: "item",
            MaterialKind.VIDEO: "url",
        }.get(data.get("kind", ""))
        if needed and not data.get(needed) and needed not in self.errors:
            self.add_error(needed, _("This field is required."))
        if data.get("kind") != MaterialKind.LIBRARY and not data.get("title"):
            self.add_error("title", _("This field is required."))
        return data


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("Starts"), widget=DatePicker())
    ends_on = forms.DateField(label=_("Ends"), widget=DatePicker())
    enrolment_opens_on = forms.DateField(label=_("Applications open"), widget=DatePicker())
    enrolment_closes_on = forms.DateField(label=_("Applications close"), widget=DatePicker())
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100000)
    waitlist_size = forms.IntegerField(
        label=_("Wait-list places"), min_value=0, max_value=100000, initial=0
    )
    admission = forms.ChoiceField(label=_("Admission"), choices=Admission.choices)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    teachers = forms.CharField(
        label=_("Teachers"),
        required=False,
        help_text=_("User names, separated by commas."),
    )

    def clean_teachers(self) -> list[Any]:
        names = [n.strip() for n in self.cleaned_data["teachers"].split(",") if n.strip()]
        found = list(get_user_model().objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {user.username for user in found})
        if missing:
            raise forms.ValidationError(
                _("No person has the user name %(names)s.") % {"names": ", ".join(missing)}
            )
        return found


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimePicker())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimePicker())
    place = forms.CharField(label=_("Place"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def attendance_form(students: list[Any], current: dict[int, str]) -> type[forms.Form]:
    """One choice of status per student, preselected with the current mark."""
    fields = {
        f"student_{enrolment.pk}": forms.ChoiceField(
            label=str(enrolment.person),
            choices=AttendanceStatus.choices,
            widget=forms.RadioSelect,
            initial=current.get(enrolment.pk, AttendanceStatus.PRESENT),
        )
        for enrolment in students
    }
    return type("AttendanceForm", (forms.Form,), fields)


class MarkingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Marking scale"), choices=MARKING_KINDS, widget=forms.RadioSelect
    )
    max_points = forms.IntegerField(
        label=_("Most points (points scale)"), min_value=0, max_value=10000, required=False
    )
    pass_points = forms.IntegerField(
        label=_("Points needed to pass (points or rubric)"),
        min_value=0,
        max_value=10000,
        required=False,
    )
    rubric = forms.CharField(
        label=_("Rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A criterion a line: its name, then its levels after bars, each with its points. "
            "Example: Clarity | Unclear 0 | Clear 2 | Very clear 4"
        ),
    )
    assignments_to_pass = forms.IntegerField(
        label=_("Assignments a student must pass"), min_value=0, max_value=1000, initial=0
    )


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )
    due_at = forms.DateTimeField(label=_("Due"), widget=DateTimePicker())
    accepts_late = forms.BooleanField(
        label=_("Accept late work (marked as late)"), required=False, initial=True
    )
    is_final = forms.BooleanField(label=_("This is the final assessment"), required=False)

    def __init__(self, *args: Any, modules: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modules = {str(module.uuid): module for module in modules}
        self.fields["module"] = forms.ChoiceField(
            label=_("Module"),
            required=False,
            choices=[("", _("The whole course"))]
            + [(key, str(module)) for key, module in self.modules.items()],
        )

    def clean_module(self) -> Any:
        return self.modules.get(self.cleaned_data.get("module") or "")


class DueDateForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("Due date in this cohort"),
        required=False,
        widget=DateTimePicker(),
        help_text=_("Leave empty to use the course's due date."),
    )


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your work"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    file = forms.FileField(
        label=_("Or a file (PDF, document, spreadsheet, picture or recording)"),
        required=False,
    )


def mark_form(scale: Any, submission: Any) -> type[forms.Form]:
    """The form of a mark on the course's scale, preselected with the current mark."""
    from minga.core.education import marking

    fields: dict[str, forms.Field] = {}
    if scale.kind == marking.PASS_FAIL:
        fields["passed"] = forms.TypedChoiceField(
            label=_("Mark"),
            choices=[("yes", _("Passed")), ("no", _("Not passed"))],
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            initial=None if submission.passed is None else ("yes" if submission.passed else "no"),
        )
    elif scale.kind == marking.POINTS:
        fields["points"] = forms.IntegerField(
            label=_("Points (of %(most)d; %(needed)d to pass)")
            % {"most": scale.max_points, "needed": scale.pass_points},
            min_value=0,
            max_value=scale.max_points,
            initial=submission.points,
        )
    else:
        levels = list(submission.levels or [])
        for index, criterion in enumerate(scale.criteria):
            fields[f"level_{index}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[
                    (str(i), f"{level.name} ({level.points})")
                    for i, level in enumerate(criterion.levels)
                ],
                coerce=int,
                widget=forms.RadioSelect,
                initial=str(levels[index]) if index < len(levels) else None,
            )
    fields["feedback"] = forms.CharField(
        label=_("Feedback"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        initial=submission.feedback,
    )
    return type("MarkForm", (forms.Form,), fields)


class CourseTranslationForm(forms.Form):
    """The course's title and description in another language. ``languages`` are the
    languages it may be written in (none for a translation being corrected)."""

    language = forms.ChoiceField(label=_("Language"), choices=())
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea, required=False, help_text=_("Markdown.")
    )

    def __init__(self, *args: Any, languages: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if languages is None:
            del self.fields["language"]
            return
        self.fields["language"].choices = languages  # type: ignore[attr-defined]
        if len(languages) == 1:
            self.initial.setdefault("language", languages[0][0])


class ApplyForm(forms.Form):
    """An application on behalf of one of the applicant's organizations (the only one
    preselected)."""

    def __init__(self, *args: Any, organizations: Any, required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"] = organization_picker(
            queryset=organizations, label=_("On behalf of"), required=required
        )
        self.has_organizations = organizations.exists()
        if organizations.count() == 1:
            self.initial.setdefault("on_behalf_of", organizations.get())


class EndorsementForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("endorse", _("Endorse")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason (needed to decline)"), max_length=500, required=False)


class ReportForm(forms.Form):
    """The choices of a school's report (read from the query string: sharing a link shares
    the same report)."""

    group = forms.ChoiceField(
        label=_("Group by"),
        choices=[
            ("course", _("Course")),
            ("cohort", _("Cohort")),
            ("region", _("Region")),
            ("organization", _("Organization")),
        ],
        initial="course",
        required=False,
    )
    start = forms.DateField(label=_("From"), required=False, widget=DatePicker())
    end = forms.DateField(label=_("To"), required=False, widget=DatePicker())
