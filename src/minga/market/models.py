"""Offers and needs of organizations, their categories and their photos.

One model, :class:`Listing`, with a ``kind`` (offer or need) rather than two models: both
kinds have exactly the same fields, rules, permissions, pages and search index, and the
suggestions compare one kind with the other in the same table. Two models would repeat all
of that for no difference in data.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from minga.common.models import IdentifiedModel, VisibleContent
from minga.common.vocabulary import VocabularyTerm

PRICE_UNIT_PATTERN = r"^[A-Z0-9]{1,16}$"
MAX_PHOTOS = 4


# The largest quantity a listing stores (a PositiveIntegerField on every database).
MAX_QUANTITY = 2_147_483_647


class Category(VocabularyTerm):
    """What a listing is about (seeds, tools, training …); configurable, seeded by a migration."""

    vocabulary = "market-categories"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class ListingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESERVED = "reserved", _("Reserved")
    CLOSED = "closed", _("Closed")


class UnitOfMeasure(models.TextChoices):
    UNIT = "unit", _("units")
    KILOGRAM = "kg", _("kilograms")
    GRAM = "g", _("grams")
    TONNE = "t", _("tonnes")
    LITRE = "l", _("litres")
    HOUR = "hour", _("hours")
    DAY = "day", _("days")
    METRE = "m", _("metres")
    SQUARE_METRE = "m2", _("square metres")
    HECTARE = "ha", _("hectares")
    SACK = "sack", _("sacks")
    BOX = "box", _("boxes")
    PERSON = "person", _("people")


class DeliveryArea(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class Listing(IdentifiedModel, VisibleContent):
    """An organization's offer or need of goods, services or knowledge."""

    organization = models.ForeignKey(
        settings.MINGA_ORGANIZATION_MODEL,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="listings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ListingKind.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="listings"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language of the text"), max_length=16, default="es")
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit = models.CharField(
        _("unit of measure"), max_length=8, choices=UnitOfMeasure.choices, blank=True
    )
    price_amount = models.PositiveBigIntegerField(
        _("price"),
        null=True,
        blank=True,
        help_text=_("A whole number in the smallest amount of the unit of account."),
    )
    # Only the code: the exchange app owns units of account and may not be installed.
    price_unit = models.CharField(
        _("unit of account"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(
                PRICE_UNIT_PATTERN, _("Use capital letters and digits only, such as MINGA.")
            )
        ],
    )
    barter_only = models.BooleanField(_("barter only"), default=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    delivery_area = models.CharField(
        _("delivery area"),
        max_length=16,
        choices=DeliveryArea.choices,
        default=DeliveryArea.LOCAL,
    )
    country = CountryField(_("country"), blank=True, db_index=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ListingStatus.choices,
        default=ListingStatus.OPEN,
        db_index=True,
    )

    canonical_path_prefix: ClassVar[str] = "market"

    # Set by the suggestion selector on the offers it returns; not stored.
    match_score: float = 0.0

    class Meta:
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "kind", "-created_at"], name="listing_status_kind"),
            models.Index(fields=["organization", "status"], name="listing_org_status"),
            models.Index(fields=["category", "status"], name="listing_category_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(barter_only=False) | Q(price_amount__isnull=True, price_unit=""),
                name="listing_barter_has_no_price",
            ),
            models.CheckConstraint(
                condition=Q(price_amount__isnull=True, price_unit="")
                | (Q(price_amount__isnull=False) & ~Q(price_unit="")),
                name="listing_price_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | ~Q(unit=""),
                name="listing_quantity_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="listing_available_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("market:listing", kwargs={"uuid": self.uuid})

    @property
    def has_price(self) -> bool:
        return self.price_amount is not None and bool(self.price_unit)


class ListingPhoto(models.Model):
    """A photo of a listing (at most four, each under 1 MB)."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="market/%Y/%m/", max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.image.name or ""
