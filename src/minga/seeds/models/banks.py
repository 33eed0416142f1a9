"""A community seed bank and the thresholds of its alerts."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel


class SeedBank(IdentifiedModel):
    """A seed bank kept by an organization (a commune, a cooperative, a network).

    The alert thresholds start from the FAO Genebank Standards (2014) and each bank may
    change them: first germination test within 12 months of receipt, initial germination of
    at least 85 % for cultivated crops, regeneration when viability falls below 85 % of the
    initial, a minimum stock of three sowings.
    """

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="seed_banks",
    )
    name = models.CharField(_("name"), max_length=200)
    instcode = models.CharField(
        _("institute code (INSTCODE)"),
        max_length=16,
        blank=True,
        help_text=_("The FAO WIEWS code of the bank, if it has one, such as PER001."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    first_test_months = models.PositiveSmallIntegerField(
        _("first germination test due within (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    minimum_initial_germination = models.PositiveSmallIntegerField(
        _("lowest acceptable initial germination (%)"),
        default=85,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    regeneration_fraction = models.PositiveSmallIntegerField(
        _("regenerate below this share of the initial viability (%)"),
        default=85,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    seeds_per_sowing = models.PositiveIntegerField(
        _("seeds needed for one sowing"),
        default=100,
        validators=[MinValueValidator(1)],
    )
    minimum_sowings = models.PositiveSmallIntegerField(
        _("keep at least this many sowings"), default=3, validators=[MinValueValidator(1)]
    )
    monitoring_months = models.PositiveSmallIntegerField(
        _("test germination again every (months)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )

    canonical_path_prefix: ClassVar[str] = "seeds/banks"

    class Meta:
        verbose_name = _("seed bank")
        verbose_name_plural = _("seed banks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("seeds:bank", kwargs={"uuid": self.uuid})

    @property
    def minimum_seeds(self) -> int:
        return self.seeds_per_sowing * self.minimum_sowings
