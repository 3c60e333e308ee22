"""Forms parse and type the input; the services decide what is allowed and valid."""

from __future__ import annotations

from typing import Any

from django import forms

from itpm.planning.models import Constraint
from itpm.portfolio.models import LifecycleStatus, Methodology, Rag
from itpm.portfolio.overview.project_page import ProjectFormChoices
from itpm.portfolio.overview.project_rows import ProjectFilter

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_input(described_by: str) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "aria-describedby": described_by}, format="%Y-%m-%d")


def _any(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class ProjectFilterForm(forms.Form):
    """The filter bar shared by the portfolio and projects pages; unknown values are ignored."""

    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Search code, name, manager…", "autocomplete": "off"}
        ),
    )
    status = forms.ChoiceField(required=False, choices=_any("Any status", LifecycleStatus.choices))
    rag = forms.ChoiceField(required=False, label="RAG", choices=_any("Any RAG", Rag.choices))
    methodology = forms.ChoiceField(required=False, choices=_any("Any methodology", Methodology.choices))
    sort = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def to_filter(self) -> ProjectFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return ProjectFilter(
            status=data.get("status") or "",
            rag=data.get("rag") or "",
            methodology=data.get("methodology") or "",
            text=(data.get("q") or "").strip(),
        )

    def sort_key(self) -> str:
        self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("sort") or "code")


def _reference(label: str, choices: list[tuple[int, str]], required: bool = False) -> forms.TypedChoiceField:
    blank = [] if required else [("", "—")]
    return forms.TypedChoiceField(
        label=label, choices=[*blank, *choices], coerce=int, empty_value=None, required=required
    )


class ProjectForm(forms.Form):
    """Create or edit a project. cleaned data → service_data() → check_create/update_project."""

    code = forms.CharField(max_length=20, help_text="Short unique code, e.g. ERP-26. Used in the address.")
    name = forms.CharField(max_length=200)
    methodology = forms.ChoiceField(choices=Methodology.choices)
    status = forms.ChoiceField(choices=LifecycleStatus.choices)
    rag = forms.ChoiceField(label="RAG status", choices=Rag.choices)
    planned_start = forms.DateField(widget=DATE_WIDGET)
    planned_finish = forms.DateField(widget=DATE_WIDGET)
    status_date = forms.DateField(
        widget=DATE_WIDGET,
        required=False,
        help_text="Progress is as of the end of this day; leave empty to ignore.",
    )
    budget = forms.DecimalField(max_digits=14, decimal_places=2, initial=0)
    currency = forms.CharField(max_length=3, initial="EUR", help_text="ISO 4217 code.")
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    business_case = forms.CharField(
        label="Business case summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    REFERENCES = ("portfolio", "program", "manager", "sponsor", "calendar")
    PLAIN = (
        "code",
        "name",
        "methodology",
        "status",
        "rag",
        "planned_start",
        "planned_finish",
        "status_date",
        "budget",
        "currency",
        "description",
        "business_case",
        "lock_version",
    )

    def __init__(self, *args: Any, choices: ProjectFormChoices, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"] = _reference("Portfolio", choices.portfolios, required=True)
        self.fields["program"] = _reference("Program", choices.programs)
        self.fields["manager"] = _reference("Project manager", choices.people)
        self.fields["sponsor"] = _reference("Sponsor", choices.people)
        self.fields["calendar"] = _reference("Working calendar", choices.calendars)
        self.fields["lock_version"].required = editing
        if len(choices.portfolios) == 1 and not self.is_bound:
            self.fields["portfolio"].initial = choices.portfolios[0][0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, finish = data.get("planned_start"), data.get("planned_finish")
        if start and finish and finish < start:
            self.add_error("planned_finish", "The planned finish must be on or after the planned start.")
        return data

    def service_data(self) -> dict[str, Any]:
        """Cleaned data keyed by model field names, references as *_id."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "lock_version"}
        for name in self.REFERENCES:
            data[f"{name}_id"] = data.pop(name)
        data["currency"] = data["currency"].upper()
        return data


def project_initial(project: Any) -> dict[str, Any]:
    """The edit form's starting values, from the project the service returned."""
    initial = {name: getattr(project, name) for name in ProjectForm.PLAIN}
    for name in ProjectForm.REFERENCES:
        initial[name] = getattr(project, f"{name}_id")
    return initial


# ---- the Gantt's inline editor -------------------------------------------------------------------

LINK_TYPES = [("FS", "FS"), ("SS", "SS"), ("FF", "FF"), ("SF", "SF")]  # explained beside the form


SUMMARY_CONSTRAINTS = ("ASAP", "SNET", "FNLT")  # the scheduler holds every task under a summary to these


class TaskEditForm(forms.Form):
    """Parses what the editor sent; ranges and permissions are the service's to check, so a value
    the service refuses is shown with the service's own message.

    Dates are edited the way MS Project does it: the task's start is computed, so typing a start
    date sets a "Start no earlier than" constraint on that date; the constraint and the deadline
    can also be set directly. The hidden copy of the start shown (show_hidden_initial) tells a
    typed start from one the scheduler has moved since the editor opened."""

    name = forms.CharField(required=False, max_length=300, label="Name")
    duration_days = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        label="Duration (days)",
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    percent_complete = forms.IntegerField(
        required=False, label="% complete", widget=forms.NumberInput(attrs={"step": "5"})
    )
    # The help texts are shown under each pair of fields (see _gantt_editor.html), not per field.
    start = forms.DateField(
        required=False,
        label="Start",
        show_hidden_initial=True,
        widget=_date_input("start-help"),
    )
    deadline = forms.DateField(required=False, label="Deadline", widget=DATE_WIDGET)
    constraint_type = forms.ChoiceField(
        required=False,
        label="Constraint",
        choices=Constraint.choices,
        widget=forms.Select(attrs={"aria-describedby": "constraint-help"}),
    )
    constraint_date = forms.DateField(
        required=False,
        label="Constraint date",
        widget=_date_input("constraint-help"),
    )
    calendar_id = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Calendar",
        widget=forms.Select(attrs={"aria-describedby": "calendar-help"}),
    )
    can_level = forms.BooleanField(
        required=False,
        label="Levelling may move this task",
        widget=forms.CheckboxInput(attrs={"aria-describedby": "can-level-help"}),
    )
    # A box left unticked is not sent at all: this hidden field says the box was on the form.
    can_level_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)
    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    EDITABLE = (
        "name",
        "duration_days",
        "percent_complete",
        "constraint_type",
        "constraint_date",
        "deadline",
        "calendar_id",
    )

    def __init__(
        self,
        *args: Any,
        summary: bool = False,
        started: bool = False,
        current: str = "ASAP",
        calendars: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        # The task's own calendar, if any; empty: its resources' calendars, else the project's.
        self.fields["calendar_id"].choices = [("", "Its resources’ or the project’s"), *(calendars or [])]  # type: ignore[attr-defined]
        self.fields["start"].disabled = started  # the actual start stands; a typed one would not hold
        if summary:  # a summary carries only what can hold each task under it alike (and what it has)
            field = self.fields["constraint_type"]
            allowed = {*SUMMARY_CONSTRAINTS, current}
            field.choices = [choice for choice in Constraint.choices if choice[0] in allowed]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sent = {"constraint_type", "constraint_date"} & set(self.data)
        constraint_changed = sent & set(self.changed_data)
        if self.typed_start() and constraint_changed:
            self.add_error("start", "Type a start date or change the constraint, not both.")
        return data

    def typed_start(self) -> bool:
        """A start date the user typed (not the one shown): it becomes the constraint."""
        return "start" in self.changed_data and self.cleaned_data.get("start") is not None

    def service_data(self, sent: Any) -> dict[str, Any]:
        """Only the fields the editor sent: a team member's form sends progress alone."""
        data = {name: self.cleaned_data[name] for name in self.EDITABLE if name in sent}
        if "name" in data:
            data["name"] = data["name"].strip()
        if data.get("constraint_type") == "":
            del data["constraint_type"]  # none chosen: leave the constraint as it is
        if data.get("constraint_type") in ("ASAP", "ALAP"):
            data["constraint_date"] = None  # a date left in the box is not an error: it is unused
        if "can_level_shown" in sent:
            data["can_level"] = self.cleaned_data["can_level"]
        if "start" in sent and self.typed_start():
            data["constraint_type"], data["constraint_date"] = "SNET", self.cleaned_data["start"]
        return data


class LinkForm(forms.Form):
    """A predecessor link into the edited task; people name the predecessor by its WBS code."""

    predecessor = forms.CharField(
        max_length=50, label="Predecessor", widget=forms.TextInput(attrs={"placeholder": "WBS, e.g. 2.3"})
    )
    type = forms.ChoiceField(choices=LINK_TYPES, initial="FS", label="Type")
    lag_days = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        initial=0,
        label="Lag (d)",
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
