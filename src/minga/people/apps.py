from django.utils.translation import gettext_lazy as _

from minga.common.registration import MingaAppConfig


class PeopleConfig(MingaAppConfig):
    name = "minga.people"
    label = "people"
    verbose_name = _("People")
    url_prefix = ""
