from django.utils.translation import gettext_lazy as _

from minga.common.registration import MenuEntry, MingaAppConfig


class EducationConfig(MingaAppConfig):
    name = "minga.education"
    label = "education"
    verbose_name = _("Education")
    url_prefix = "education/"
    api_prefix = "/education/"
    menu = (MenuEntry(_("Education"), "education:index", order=55),)
    demo_loader = "minga.education.demo.load_education_demo"
    demo_order = 55
    attention = "minga.education.selectors.attention_for"

    def ready(self) -> None:
        super().ready()
        from minga.common.audit import register_audit_scope
        from minga.common.media import register_media_owner
        from minga.common.views import register_canonical_reader
        from minga.common.visibility import register_access_rule

        from . import access, selectors

        course = self.get_model("Course")
        register_access_rule(course, access.RULE)
        register_canonical_reader(self.get_model("School"), selectors.get_school_for)
        register_canonical_reader(course, selectors.get_course_for)
        register_canonical_reader(self.get_model("Cohort"), selectors.get_cohort_for)
        register_canonical_reader(self.get_model("Lesson"), selectors.get_lesson_for)
        recording = self.get_model("LessonAudio")
        register_media_owner(recording, "file", selectors.can_read_lesson_file)
        register_media_owner(recording, "low", selectors.can_read_lesson_file)
        register_media_owner(
            self.get_model("LessonMaterial"), "file", selectors.can_read_lesson_file
        )
        register_media_owner(self.get_model("Submission"), "file", selectors.can_read_submission)
        register_audit_scope(course, selectors.visible_courses)
        register_audit_scope(self.get_model("Cohort"), selectors.staffed_cohorts)
        register_audit_scope(self.get_model("School"), selectors.visible_schools)
        register_audit_scope(self.get_model("Certificate"), selectors.staffed_certificates)

        from datetime import timedelta

        from minga.common.stator import register_sweep

        from .published_sessions import upcoming_audiences_refresh

        # A coordinator named or ended in the registry reaches the closed sessions' calendar.
        register_sweep(
            "education.calendar_audiences", upcoming_audiences_refresh, every=timedelta(minutes=10)
        )
