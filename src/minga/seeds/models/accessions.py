"""An accession: MCPD v2.1 passport data plus what community seeds need.

MCPD fields keep the standard's own text forms (dates ``YYYYMMDD`` with hyphens for unknown
parts, semicolon lists, numeric codes), so an export writes back exactly what was checked
on the way in. Exact coordinates and the custodian are sensitive: only the bank's own
organization reads them (see ``selectors.may_see_sensitive``); public pages, the API and
public exports leave them out.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from minga.common.models import IdentifiedModel, VisibleContent


class SampleStatus(models.IntegerChoices):
    """MCPD SAMPSTAT, the codes a community seed bank meets most."""

    WILD = 100, _("Wild")
    WEEDY = 200, _("Weedy")
    LANDRACE = 300, _("Traditional variety or landrace")
    BREEDING = 400, _("Breeding or research material")
    IMPROVED = 500, _("Improved variety")
    OTHER = 999, _("Other")


class Accession(IdentifiedModel, VisibleContent):
    bank = models.ForeignKey(
        "seeds.SeedBank",
        verbose_name=_("seed bank"),
        on_delete=models.PROTECT,
        related_name="accessions",
    )
    # MCPD v2.1 passport descriptors (upper-case names in the standard).
    puid = models.CharField("PUID", max_length=200, blank=True)
    instcode = models.CharField("INSTCODE", max_length=16)
    accenumb = models.CharField(_("accession number"), max_length=64)
    collnumb = models.CharField("COLLNUMB", max_length=64, blank=True)
    collcode = models.CharField("COLLCODE", max_length=200, blank=True)
    collname = models.CharField("COLLNAME", max_length=500, blank=True)
    collinstaddress = models.CharField("COLLINSTADDRESS", max_length=500, blank=True)
    collmissid = models.CharField("COLLMISSID", max_length=200, blank=True)
    genus = models.CharField(_("genus"), max_length=64)
    species = models.CharField(_("species"), max_length=64, blank=True)
    spauthor = models.CharField("SPAUTHOR", max_length=200, blank=True)
    subtaxa = models.CharField("SUBTAXA", max_length=200, blank=True)
    subtauthor = models.CharField("SUBTAUTHOR", max_length=200, blank=True)
    cropname = models.CharField(_("crop"), max_length=200, blank=True)
    accename = models.CharField(_("variety name"), max_length=200, blank=True)
    acqdate = models.CharField("ACQDATE", max_length=8, blank=True)
    origcty = models.CharField(_("country of origin"), max_length=3, blank=True)
    collsite = models.CharField(_("collecting site"), max_length=500, blank=True)
    declatitude = models.FloatField("DECLATITUDE", null=True, blank=True)
    latitude = models.CharField("LATITUDE", max_length=8, blank=True)
    declongitude = models.FloatField("DECLONGITUDE", null=True, blank=True)
    longitude = models.CharField("LONGITUDE", max_length=8, blank=True)
    coorduncert = models.PositiveIntegerField("COORDUNCERT", null=True, blank=True)
    coorddatum = models.CharField("COORDDATUM", max_length=32, blank=True)
    georefmeth = models.CharField("GEOREFMETH", max_length=3, blank=True)
    elevation = models.IntegerField(_("elevation (m)"), null=True, blank=True)
    colldate = models.CharField("COLLDATE", max_length=8, blank=True)
    bredcode = models.CharField("BREDCODE", max_length=64, blank=True)
    bredname = models.CharField("BREDNAME", max_length=200, blank=True)
    sampstat = models.PositiveSmallIntegerField(_("biological status"), null=True, blank=True)
    ancest = models.CharField("ANCEST", max_length=500, blank=True)
    collsrc = models.PositiveSmallIntegerField("COLLSRC", null=True, blank=True)
    donorcode = models.CharField("DONORCODE", max_length=16, blank=True)
    donorname = models.CharField("DONORNAME", max_length=200, blank=True)
    donornumb = models.CharField("DONORNUMB", max_length=64, blank=True)
    othernumb = models.CharField("OTHERNUMB", max_length=500, blank=True)
    duplsite = models.CharField(_("safety duplicates (DUPLSITE)"), max_length=200, blank=True)
    duplinstname = models.CharField("DUPLINSTNAME", max_length=500, blank=True)
    storage = models.CharField("STORAGE", max_length=64, blank=True)
    mlsstat = models.PositiveSmallIntegerField("MLSSTAT", null=True, blank=True)
    remarks = models.TextField("REMARKS", blank=True)
    # What genebank schemas lack for community seeds.
    local_names = models.JSONField(
        _("local names"), default=dict, blank=True, help_text=_("Language tag → name.")
    )
    custodian = models.CharField(_("custodian family or community"), max_length=200, blank=True)
    story = models.TextField(_("story and uses of the variety"), blank=True)
    sharing_conditions = models.TextField(_("sharing conditions"), blank=True)
    # Kept by the services with every lot's seeds and regeneration date (see
    # ``services.lots``), so the report of accessions at risk filters, orders and counts on
    # this table alone, however many lots a bank holds.
    stock = models.PositiveBigIntegerField(_("seeds in all lots"), default=0, editable=False)
    regenerate_on = models.DateField(
        _("earliest regeneration date of a lot"), null=True, blank=True, editable=False
    )
    library_items = models.ManyToManyField(
        "library.Item",
        verbose_name=_("library items on the variety"),
        blank=True,
        related_name="+",
    )

    canonical_path_prefix: ClassVar[str] = "seeds/accessions"

    class Meta:
        verbose_name = _("accession")
        verbose_name_plural = _("accessions")
        ordering = ["accenumb", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "accenumb"], name="accession_number_per_bank")
        ]
        indexes = [
            # The report of accessions at risk in its order (regeneration date, seeds,
            # number): each page seeks its place in it from the last row of the page before
            # (keyset paging) and reads no more than a page's rows (``selectors.at_risk_page``).
            models.Index(
                fields=["bank", "regenerate_on", "stock", "accenumb", "duplsite"],
                name="accession_risk_order",
            ),
        ]

    def __str__(self) -> str:
        name = self.accename or self.cropname or self.taxon
        return f"{self.accenumb} · {name}"

    def get_absolute_url(self) -> str:
        return reverse("seeds:accession", kwargs={"uuid": self.uuid})

    @property
    def taxon(self) -> str:
        return f"{self.genus} {self.species}".strip()

    @property
    def sample_status_label(self) -> str:
        """SAMPSTAT in words: the standard's codes group by hundreds (410 is breeding
        material like 400), 999 is other."""
        if self.sampstat is None:
            return ""
        group = 999 if self.sampstat >= 999 else self.sampstat // 100 * 100
        try:
            return f"{SampleStatus(group).label} ({self.sampstat})"
        except ValueError:
            return str(self.sampstat)

    @property
    def has_safety_duplicate(self) -> bool:
        return bool(self.duplsite.strip())


class RiskTally(models.Model):
    """How many accessions of a bank share one combination of what the report of
    accessions at risk asks: the earliest regeneration date (``NO_DATE`` for none), fewer
    seeds than the bank's minimum, no safety duplicate.

    Kept in the same transaction as every write that changes those (``minga.seeds.tally``),
    so the report counts per reason, for any day, from a few rows instead of the bank's
    accessions; a recount always equals them (``tests/seeds/test_risk_tally.py``).
    """

    bank = models.ForeignKey("seeds.SeedBank", on_delete=models.CASCADE, related_name="+")
    regenerate_on = models.DateField(_("earliest regeneration date"))
    low_stock = models.BooleanField(_("fewer seeds than the minimum"))
    no_duplicate = models.BooleanField(_("no safety duplicate"))
    accessions = models.IntegerField(_("accessions"), default=0)

    class Meta:
        verbose_name = _("risk tally")
        verbose_name_plural = _("risk tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "regenerate_on", "low_stock", "no_duplicate"],
                name="risk_tally_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank_id} · {self.regenerate_on} · {self.accessions}"
