"""Organizations, their relations over time, people's roles, bodies and delegates."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from minga.common.models import IdentifiedModel, VisibleContent
from minga.common.vocabulary import VocabularyTerm, translated


class Region(VocabularyTerm):
    """A world region the confederation organizes by; configurable, seeded by a migration."""

    vocabulary = "regions"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Language(models.Model):
    """A language people use, by its BCP 47 tag (es, qu, ht …)."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    COMMUNAL_COUNCIL = "communal_council", _("Communal council")
    SOCIAL_MOVEMENT = "social_movement", _("Social movement")
    UNION = "union", _("Union")
    PARTY = "party", _("Party")
    COOPERATIVE = "cooperative", _("Cooperative")
    COMMUNITY_MEDIA = "community_media", _("Community media")
    SCHOOL = "school", _("School")
    NETWORK = "network", _("Network or confederation")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


class Organization(IdentifiedModel, VisibleContent):
    """A member organization: a commune, a movement, a union, a network …"""

    slug = models.SlugField(_("short code"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=24, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    name_language = models.CharField(_("language of the name"), max_length=16, default="es")
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)
    country = CountryField(_("country"), db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations"
    )
    area = models.CharField(_("state, province or area"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    languages = models.ManyToManyField(
        Language, verbose_name=_("languages"), blank=True, related_name="organizations"
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_language = models.CharField(
        _("language of the description"), max_length=16, default="es"
    )
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    registry_number = models.CharField(
        _("external registry number"),
        max_length=64,
        blank=True,
        help_text=_("For example the code in a national register of communes."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
        db_index=True,
    )
    logo = models.ImageField(_("logo"), upload_to="logos/%Y/", blank=True)

    canonical_path_prefix: ClassVar[str] = "organizations"

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["kind", "name"], name="org_kind_name"),
            models.Index(fields=["region", "name"], name="org_region_name"),
            models.Index(fields=["country", "name"], name="org_country_name"),
            models.Index(fields=["visibility", "name"], name="org_visibility_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="org_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="org_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("registry:organization", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return translated(self.names, self.name)


class ContactKind(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    MESSAGING = "messaging", _("Messaging (Signal, WhatsApp, Telegram)")
    WEBSITE = "website", _("Website")
    FEDIVERSE = "fediverse", _("Fediverse account")
    RADIO = "radio", _("Radio frequency")
    ADDRESS = "address", _("Postal address")


class ContactChannel(VisibleContent):
    """A way to reach an organization; each channel has its own visibility."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contact_channels"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices)
    value = models.CharField(_("value"), max_length=255)
    label = models.CharField(_("label"), max_length=80, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class RelationKind(models.TextChoices):
    MEMBER_OF = "member_of", _("Member of a network")
    PART_OF = "part_of", _("Communal council of a commune")


class RelationStatus(models.TextChoices):
    PENDING = "pending", _("Requested")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ENDED = "ended", _("Ended")


OPEN_RELATION_STATUSES = (RelationStatus.PENDING, RelationStatus.ACTIVE, RelationStatus.SUSPENDED)


class OrganizationRelation(IdentifiedModel):
    """An organization's membership of a network, or a communal council's of a commune.

    A relation is never deleted: when it ends, its status says how, and a new application
    makes a new relation. Every status change is kept in :class:`RelationEvent`.
    """

    member = models.ForeignKey(
        Organization,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="relations_as_member",
    )
    parent = models.ForeignKey(
        Organization,
        verbose_name=_("network or commune"),
        on_delete=models.PROTECT,
        related_name="relations_as_parent",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=RelationKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=RelationStatus.choices, db_index=True
    )
    motivation = models.TextField(_("motivation"), blank=True)
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    canonical_path_prefix: ClassVar[str] = "relations"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "parent", "kind"],
                condition=Q(status__in=["pending", "active", "suspended"]),
                name="relation_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("parent")), name="relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.parent} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        # A membership's history is shown on the member's page.
        return self.member.get_absolute_url()


class RelationEvent(models.Model):
    """One step in a membership's history: who moved it from which status to which, and why."""

    relation = models.ForeignKey(
        OrganizationRelation, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(max_length=16, choices=RelationStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=RelationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class RoleKind(models.TextChoices):
    MEMBER = "member", _("Member")
    SPOKESPERSON = "spokesperson", _("Spokesperson")
    DELEGATE = "delegate", _("Delegate")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleQuerySet(models.QuerySet["Role"]):
    def current(self, on: date | None = None) -> RoleQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day))


class Role(IdentifiedModel):
    """A person's role in an organization for a period; ended roles stay as history."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleQuerySet.as_manager()

    canonical_path_prefix: ClassVar[str] = "roles"

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["-started_on", "id"]
        indexes = [models.Index(fields=["person", "ended_on"], name="role_person_ended")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="role_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.organization}"

    def get_absolute_url(self) -> str:
        return str(self.person.get_absolute_url())

    def is_current(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class BodyKind(models.TextChoices):
    CONGRESS = "congress", _("Congress")
    REGIONAL_ASSEMBLY = "regional_assembly", _("Regional assembly")
    NATIONAL_ASSEMBLY = "national_assembly", _("National assembly")
    COORDINATION = "coordination", _("Coordination committee")
    COMMISSION = "commission", _("Commission")


class Body(IdentifiedModel):
    """A decision-making body of a network: its Congress, an assembly, a commission."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("network"), on_delete=models.PROTECT, related_name="bodies"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=BodyKind.choices)
    slug = models.SlugField(_("short code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)

    canonical_path_prefix: ClassVar[str] = "bodies"

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return translated(self.names, self.name)

    def get_absolute_url(self) -> str:
        return self.organization.get_absolute_url()


class DelegateAccreditation(IdentifiedModel):
    """A person accredited to a body, on behalf of an organization, for a term."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="accreditations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("on behalf of"),
        on_delete=models.CASCADE,
        related_name="accreditations",
    )
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="accreditations")
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    revoked_on = models.DateField(_("revoked"), null=True, blank=True)
    accredited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("delegate accreditation")
        verbose_name_plural = _("delegate accreditations")
        ordering = ["-term_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")), name="accreditation_term_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.body} ({self.term_start}–{self.term_end})"
