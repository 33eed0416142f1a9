"""Subjects (a controlled vocabulary, importable as SKOS) and free tags."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minga.common.vocabulary import VocabularyTerm


class Subject(VocabularyTerm):
    """A concept of the library's controlled vocabulary (crops, practices, topics), with a
    label in each language; items are tagged with concepts, so a word of any language that
    names a concept finds the items tagged with it whatever their language."""

    vocabulary = "library-subjects"

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")


class Tag(models.Model):
    """A free keyword, lowercased, shared by the items that use it."""

    name = models.CharField(_("tag"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
