"""``{% load courses %}``: a course in the reader's language.

``{% with shown=course|for_reader %}{{ shown.title }}{% endwith %}`` gives the course's
title and description in the language of the page when a published translation exists
(``shown.translation`` then tells its status), else the original; ``shown.language`` is
the language of what is shown, for the ``lang`` attribute.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from ..selectors import ShownCourse, course_for_reader

register = template.Library()


@register.filter
def for_reader(course: Any) -> ShownCourse:
    return course_for_reader(course, get_language() or course.language)
