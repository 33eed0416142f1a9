"""Items of the library and what hangs from them: formula rows, consent, versions,
translations and links."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from minga.common.models import IdentifiedModel, VisibleContent
from minga.common.translation import Translation

from ..types import Audience, ItemKind, License, LinkRelation, ProtocolRule
from .subjects import Subject, Tag


class Item(IdentifiedModel, VisibleContent):
    """A project, plan, formula, piece of ancestral knowledge, document or recording.

    Who may read it: its visibility level (``VisibleContent``) and its community
    protocols (``library.access``), both through the platform's one visibility rule.
    ``audience`` and ``access_group`` summarise that rule for the search index; the
    services keep them (``services.refresh_access``).
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices, db_index=True)
    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("contributing organization"),
        on_delete=models.PROTECT,
        related_name="library_items",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contributed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("original language"), max_length=16, default="es")
    authors = models.JSONField(_("authors"), default=list, blank=True)
    subjects = models.ManyToManyField(
        Subject, verbose_name=_("subjects"), blank=True, related_name="items"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="items")
    country = CountryField(_("country"), blank=True, db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    made_on = models.DateField(_("made or recorded on"), null=True, blank=True)
    license = models.CharField(
        _("license"), max_length=16, choices=License.choices, default=License.CC_BY_SA
    )
    license_text = models.TextField(_("terms of the community license"), blank=True)
    labels = models.JSONField(_("TK and BC labels"), default=list, blank=True)

    # Projects and plans.
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    budget_amount = models.PositiveBigIntegerField(
        _("budget"),
        null=True,
        blank=True,
        help_text=_("A whole number in the smallest amount of the unit of account."),
    )
    budget_unit = models.CharField(_("unit of the budget"), max_length=16, blank=True)
    results = models.TextField(_("results"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)

    # Agrifood formulas.
    yield_thousandths = models.PositiveBigIntegerField(_("yield"), null=True, blank=True)
    yield_unit = models.CharField(_("unit of the yield"), max_length=8, blank=True)
    conditions = models.TextField(_("conditions of use"), blank=True)
    serves = models.CharField(_("crops or animals it serves"), max_length=300, blank=True)
    climate = models.CharField(_("climate"), max_length=200, blank=True)
    altitude_min = models.IntegerField(_("lowest altitude (m)"), null=True, blank=True)
    altitude_max = models.IntegerField(_("highest altitude (m)"), null=True, blank=True)
    safety = models.TextField(_("safety notes"), blank=True)

    # Ancestral knowledge.
    practice = models.CharField(_("practice"), max_length=200, blank=True)
    community_of_origin = models.CharField(_("community of origin"), max_length=200, blank=True)
    season = models.CharField(_("season"), max_length=200, blank=True)

    # Recordings.
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)

    protocols = models.ManyToManyField(
        "library.Protocol", verbose_name=_("access protocols"), blank=True, related_name="items"
    )
    protocol_rule = models.CharField(
        _("with several protocols"),
        max_length=8,
        choices=ProtocolRule.choices,
        default=ProtocolRule.ANY,
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.RESTRICTED
    )
    # Items with the same group are readable by the same people, custodians aside
    # (``library.access.access_group_key``).
    access_group = models.CharField(
        _("access group"), max_length=32, blank=True, default="", editable=False
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    canonical_path_prefix: ClassVar[str] = "library/items"

    class Meta:
        verbose_name = _("library item")
        verbose_name_plural = _("library items")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["audience", "-created_at"], name="libitem_audience_created"),
            models.Index(fields=["audience", "access_group"], name="libitem_audience_group"),
            models.Index(fields=["organization", "-created_at"], name="libitem_org_created"),
            models.Index(fields=["kind", "-created_at"], name="libitem_kind_created"),
            models.Index(fields=["updated_at", "id"], name="libitem_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="libitem_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | ~Q(budget_unit=""),
                name="libitem_budget_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(yield_thousandths__isnull=True) | ~Q(yield_unit=""),
                name="libitem_yield_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:item", kwargs={"uuid": self.uuid})


class Ingredient(models.Model):
    """One ingredient of a formula: a quantity in thousandths of its unit, or none."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="ingredients")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("ingredient"), max_length=200)
    quantity_thousandths = models.PositiveBigIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=8, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("ingredient")
        verbose_name_plural = _("ingredients")
        ordering = ["item", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_thousandths__isnull=True) | ~Q(unit=""),
                name="libingredient_quantity_has_unit",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """One step of a formula's preparation."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.TextField(_("step"))

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["item", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ConsentRecord(models.Model):
    """The community's free, prior and informed consent to share a piece of knowledge:
    who gave it, when, how and for what. The newest record is the one in force."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(
        _("given by"),
        max_length=300,
        help_text=_("The community authority or assembly that consented."),
    )
    given_on = models.DateField(_("given on"))
    method = models.CharField(
        _("how it was given"),
        max_length=300,
        help_text=_("For example: a decision of the community assembly, with its minutes."),
    )
    scope = models.TextField(_("what was consented to"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("record of consent")
        verbose_name_plural = _("records of consent")
        ordering = ["item", "-given_on", "-id"]

    def __str__(self) -> str:
        return f"{self.given_by} · {self.given_on}"


class ItemVersion(models.Model):
    """The item as it was after one edit: a snapshot of its fields, who made it and when."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    snapshot = models.JSONField(_("fields"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    restored_from = models.PositiveIntegerField(_("restored from version"), null=True, blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["item", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="libversion_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"


class ItemTranslation(Translation):
    """The item's title, summary and text in another language, through the shared
    translation workflow (requested → in progress → submitted → published)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="translations")
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["item", "language"]
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="libtranslation_language")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.language}"


class ItemLink(models.Model):
    """A link between two items: a project uses a formula, a recording documents a practice."""

    source = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_in")
    relation = models.CharField(_("relation"), max_length=16, choices=LinkRelation.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["source", "relation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "relation"], name="liblink_once"),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="liblink_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.relation} {self.target_id}"


class OaiTombstone(models.Model):
    """An item that harvesters saw and that is public no longer (deleted, or restricted):
    OAI-PMH tells them to drop it, naming only its identifier."""

    item_uuid = models.UUIDField(unique=True)
    organization_uuid = models.UUIDField()
    deleted_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("withdrawn record")
        verbose_name_plural = _("withdrawn records")
        ordering = ["deleted_at", "id"]

    def __str__(self) -> str:
        return str(self.item_uuid)
