"""Lots of an accession, their germination tests and the grow-outs that renew them.

A lot's stock is kept as a whole number of seeds (``seeds``), never negative (a database
constraint backs the services' checks). Weight is derived through the hundred-seed weight,
so one quantity moves with tests and requests and the two cannot disagree.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class Lot(IdentifiedModel):
    accession = models.ForeignKey(
        "seeds.Accession",
        verbose_name=_("accession"),
        on_delete=models.PROTECT,
        related_name="lots",
    )
    code = models.CharField(_("lot code"), max_length=64)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    seeds = models.PositiveBigIntegerField(_("seeds in stock"))
    hundred_seed_weight_mg = models.PositiveIntegerField(
        _("weight of 100 seeds (mg)"), null=True, blank=True
    )
    harvested_on = models.DateField(_("harvest date"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    stored_since = models.DateField(_("in storage since"))
    room = models.CharField(_("room"), max_length=64, blank=True)
    shelf = models.CharField(_("shelf"), max_length=64, blank=True)
    container = models.CharField(_("container"), max_length=64, blank=True)
    storage_temperature = models.DecimalField(
        _("storage temperature (°C)"), max_digits=4, decimal_places=1
    )
    moisture_percent = models.DecimalField(
        _("seed moisture content (%)"), max_digits=4, decimal_places=1
    )
    distributable = models.BooleanField(_("may be shared"), default=True)
    # Kept by the services from the tests (see ``minga.seeds.risk``) for the reports.
    germination_percent = models.FloatField(_("last germination (%)"), null=True, blank=True)
    regenerate_on = models.DateField(_("regenerate by"), null=True, blank=True, db_index=True)

    canonical_path_prefix: ClassVar[str] = "seeds/lots"

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["-stored_since", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["accession", "code"], name="lot_code_per_accession"),
            models.CheckConstraint(condition=Q(seeds__gte=0), name="lot_seeds_not_negative"),
            models.CheckConstraint(
                condition=Q(moisture_percent__gt=0) & Q(moisture_percent__lt=100),
                name="lot_moisture_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accession.accenumb} / {self.code}"

    def get_absolute_url(self) -> str:
        return reverse("seeds:lot", kwargs={"uuid": self.uuid})

    @property
    def weight_grams(self) -> float | None:
        if self.hundred_seed_weight_mg is None:
            return None
        return self.seeds * self.hundred_seed_weight_mg / 100 / 1000


class GerminationTest(IdentifiedModel):
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="tests"
    )
    tested_on = models.DateField(_("test date"))
    sown = models.PositiveIntegerField(_("seeds sown"))
    germinated = models.PositiveIntegerField(_("normal seedlings"))
    abnormal = models.PositiveIntegerField(_("abnormal seedlings"), default=0)
    dead = models.PositiveIntegerField(_("dead seeds"), default=0)
    replicates = models.PositiveSmallIntegerField(_("replicates"), default=1)
    method = models.CharField(_("method"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("germination test")
        verbose_name_plural = _("germination tests")
        ordering = ["-tested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sown__gt=0) & Q(sown__gte=F("germinated") + F("abnormal") + F("dead")),
                name="germination_counts_within_sown",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lot} · {self.tested_on}"

    @property
    def percent(self) -> float:
        return 100 * self.germinated / self.sown


class RegenerationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HARVESTED = "harvested", _("Harvested")
    CANCELLED = "cancelled", _("Cancelled")


class Regeneration(IdentifiedModel):
    """A grow-out of a lot by a commune; its harvest becomes a new lot with the lot as parent."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="regenerations"
    )
    grower = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("commune that grows it"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200)
    sow_on = models.DateField(_("sowing date"))
    plants = models.PositiveIntegerField(_("plants"))
    seeds_used = models.PositiveIntegerField(_("seeds taken from the lot"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegenerationStatus.choices,
        default=RegenerationStatus.PLANNED,
    )
    harvest = models.OneToOneField(
        Lot,
        verbose_name=_("harvested lot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grown_by",
    )

    canonical_path_prefix: ClassVar[str] = "seeds/regenerations"

    class Meta:
        verbose_name = _("regeneration")
        verbose_name_plural = _("regenerations")
        ordering = ["-sow_on", "-id"]

    def __str__(self) -> str:
        return f"{self.lot} · {self.sow_on}"

    def get_absolute_url(self) -> str:
        return reverse("seeds:regeneration", kwargs={"uuid": self.uuid})
