"""Forms of the marketplace's pages. They parse input only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField  # type: ignore[attr-defined]

from minga.common.forms import (
    CountryChoices,
    DatePicker,
    ModelChoice,
    ModelMultipleChoice,
    TextLanguageField,
    preselect_only_choice,
)
from minga.common.models import Visibility

from .models import (
    MAX_PHOTOS,
    MAX_QUANTITY,
    Category,
    DeliveryArea,
    Listing,
    ListingKind,
    ListingPhoto,
    ListingStatus,
    UnitOfMeasure,
)
from .selectors import ListingFilters
from .services import ListingData

ANY_STATUS = "any"
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"

# Who may read a listing, in words people use; custodians-only is for the admin.
VISIBILITY_CHOICES = [
    (Visibility.PUBLIC, _("Everyone")),
    (Visibility.SERVER, _("People signed in to this server")),
    (Visibility.ORGANIZATIONS, _("Members of our organization only")),
]


class ListingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Offers or needs"),
        choices=[("", _("Offers and needs")), *ListingKind.choices],
        required=False,
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    delivery_area = forms.ChoiceField(
        label=_("Delivery area"),
        choices=[("", _("Any area")), *DeliveryArea.choices],
        required=False,
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    barter_only = forms.BooleanField(label=_("Barter only"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*ListingStatus.choices, (ANY_STATUS, _("Any status"))],
        required=False,
        initial=ListingStatus.OPEN,
    )

    def __init__(
        self, *args: Any, countries_present: list[str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        names = dict(countries)
        present = sorted(
            ((code, names.get(code, code)) for code in countries_present or []),
            key=lambda choice: str(choice[1]),
        )
        self.fields["country"].choices = [("", _("All countries")), *present]  # type: ignore[attr-defined]
        self.fields["category"].choices = [("", _("All categories"))] + [  # type: ignore[attr-defined]
            (category.code, str(category)) for category in Category.objects.all()
        ]

    def filters(self) -> ListingFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        status = data.get("status") or ListingStatus.OPEN
        return ListingFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            category=data.get("category") or "",
            delivery_area=data.get("delivery_area") or "",
            country=data.get("country") or "",
            barter_only=bool(data.get("barter_only")),
            status="" if status == ANY_STATUS else status,
        )


class ListingForm(forms.Form):
    organization: forms.ModelChoiceField[Any] = ModelChoice(
        label=_("Organization"), queryset=None, to_field_name="slug"
    )
    kind = forms.ChoiceField(
        label=_("Offer or need"), choices=ListingKind.choices, widget=forms.RadioSelect
    )
    category = ModelChoice(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="code"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("You can use Markdown: **bold**, lists, links."),
    )
    language = TextLanguageField(label=_("Language of the text"))
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=0, max_value=MAX_QUANTITY
    )
    unit = forms.ChoiceField(
        label=_("Unit of measure"),
        choices=[("", "—"), *UnitOfMeasure.choices],
        required=False,
    )
    barter_only = forms.BooleanField(
        label=_("Barter only"),
        required=False,
        help_text=_("Exchanged for other goods or work, without a price."),
    )
    price_amount = forms.IntegerField(
        label=_("Price"),
        required=False,
        min_value=0,
        help_text=_("A whole number in the smallest amount of the unit of account."),
    )
    price_unit = forms.CharField(
        label=_("Unit of account"),
        required=False,
        max_length=16,
        help_text=_("Its code, such as MINGA or HOUR."),
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    delivery_area = forms.ChoiceField(label=_("Delivery area"), choices=DeliveryArea.choices)
    country = LazyTypedChoiceField(label=_("Country"), choices=CountryChoices("—"), required=False)
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DatePicker())
    available_until = forms.DateField(
        label=_("Available until"), required=False, widget=DatePicker()
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(ListingStatus.OPEN, _("Open")), (ListingStatus.RESERVED, _("Reserved"))],
        initial=ListingStatus.OPEN,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"), choices=VISIBILITY_CHOICES, initial=Visibility.PUBLIC
    )
    remove_photos = ModelMultipleChoice(
        label=_("Remove photos"),
        queryset=ListingPhoto.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        organizations: Any,
        listing: Listing | None = None,
        **kwargs: Any,
    ) -> None:
        if listing is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "organization": listing.organization.slug,
                "kind": listing.kind,
                "category": listing.category.code,
                "title": listing.title,
                "description": listing.description,
                "language": listing.language,
                "quantity": listing.quantity,
                "unit": listing.unit,
                "barter_only": listing.barter_only,
                "price_amount": listing.price_amount,
                "price_unit": listing.price_unit,
                "place": listing.place,
                "delivery_area": listing.delivery_area,
                "country": str(listing.country or ""),
                "available_from": listing.available_from,
                "available_until": listing.available_until,
                "status": listing.status,
                "visibility": listing.visibility,
            }
        super().__init__(*args, **kwargs)
        self.listing = listing
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        preselect_only_choice(self.fields["organization"])
        if listing is not None:
            # The owner of a listing does not change; the kind neither (it would be another).
            del self.fields["organization"]
            del self.fields["kind"]
            if listing.status == ListingStatus.CLOSED:
                del self.fields["status"]
            photos = listing.photos.all()
            self.fields["remove_photos"].queryset = photos  # type: ignore[attr-defined]
            self.fields["remove_photos"].label_from_instance = (  # type: ignore[attr-defined]
                lambda photo: photo.image.name.rsplit("/", 1)[-1]
            )
            free = max(MAX_PHOTOS - len(photos), 1)
        else:
            del self.fields["remove_photos"]
            free = MAX_PHOTOS
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first().slug
        # Separate single inputs: they work on every browser, without JavaScript.
        for number in range(1, free + 1):
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Photo %(number)d") % {"number": number},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
                help_text=_("JPEG, PNG or WebP, under 1 MB; at most four photos in all.")
                if number == 1
                else "",
            )

    def photos(self) -> list[Any]:
        return [
            self.cleaned_data[name]
            for name in sorted(self.fields)
            if name.startswith("photo_") and self.cleaned_data.get(name)
        ]

    def to_data(self) -> ListingData:
        data = self.cleaned_data
        listing = self.listing
        return ListingData(
            kind=listing.kind if listing is not None else data["kind"],
            category=data["category"].code,
            title=data["title"],
            description=data.get("description", ""),
            language=data["language"],
            quantity=data.get("quantity"),
            unit=data.get("unit", ""),
            price_amount=data.get("price_amount"),
            price_unit=(data.get("price_unit") or "").strip().upper(),
            barter_only=bool(data.get("barter_only")),
            place=data.get("place", ""),
            delivery_area=data["delivery_area"],
            country=data.get("country") or "",
            available_from=data.get("available_from"),
            available_until=data.get("available_until"),
            status=data.get("status") or ListingStatus.OPEN,
            visibility=data["visibility"],
        )


class StatusForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
