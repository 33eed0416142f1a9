"""Seed the regions the confederation organizes by and the languages its people use.

Both lists are data: coordinators can add to them in the admin.
"""

from django.db import migrations

REGIONS = [
    ("south-america", "Sudamérica", {"en": "South America", "pt": "América do Sul", "fr": "Amérique du Sud", "ht": "Amerik di Sid"}),
    ("central-america", "Centroamérica", {"en": "Central America", "pt": "América Central", "fr": "Amérique centrale", "ht": "Amerik santral"}),
    ("caribbean", "Caribe", {"en": "Caribbean", "pt": "Caribe", "fr": "Caraïbes", "ht": "Karayib"}),
    ("north-america", "Norteamérica", {"en": "North America", "pt": "América do Norte", "fr": "Amérique du Nord", "ht": "Amerik di Nò"}),
    ("europe", "Europa", {"en": "Europe", "pt": "Europa", "fr": "Europe", "ht": "Ewòp"}),
    ("asia", "Asia", {"en": "Asia", "pt": "Ásia", "fr": "Asie", "ht": "Azi"}),
    ("africa", "África", {"en": "Africa", "pt": "África", "fr": "Afrique", "ht": "Afrik"}),
]

LANGUAGES = [
    ("es", "Español"), ("en", "English"), ("pt", "Português"), ("fr", "Français"),
    ("ht", "Kreyòl ayisyen"), ("qu", "Runasimi (quechua)"), ("ay", "Aymar aru"),
    ("gn", "Avañe'ẽ (guaraní)"), ("wayuu", "Wayuunaiki"), ("nah", "Náhuatl"),
    ("yua", "Maya yucateco"), ("arn", "Mapudungun"), ("it", "Italiano"), ("de", "Deutsch"),
    ("ar", "العربية"), ("sw", "Kiswahili"), ("wo", "Wolof"), ("hi", "हिन्दी"),
    ("tl", "Tagalog"), ("id", "Bahasa Indonesia"), ("zu", "isiZulu"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    Language = apps.get_model("registry", "Language")
    for position, (code, name, names) in enumerate(REGIONS):
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "names": {"es": name, **names}, "position": position}
        )
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
