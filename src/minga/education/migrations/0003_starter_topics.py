"""Seed the starter topics of the federation's training (names in es/en/pt/fr/ht). More
come with ``minga import vocabulary FILE --vocabulary education-topics``."""

from django.db import migrations

TOPICS = [
    ("communal-economy", {"es": "Economía comunal", "en": "Communal economy", "pt": "Economia comunal", "fr": "Économie communale", "ht": "Ekonomi kominal"}),
    ("seed-keeping", {"es": "Guarda de semillas", "en": "Seed keeping", "pt": "Guarda de sementes", "fr": "Conservation des semences", "ht": "Konsève semans"}),
    ("popular-communication", {"es": "Comunicación popular", "en": "Popular communication", "pt": "Comunicação popular", "fr": "Communication populaire", "ht": "Kominikasyon popilè"}),
    ("agroecology", {"es": "Agroecología", "en": "Agroecology", "pt": "Agroecologia", "fr": "Agroécologie", "ht": "Agwoekoloji"}),
    ("political-training", {"es": "Formación política", "en": "Political training", "pt": "Formação política", "fr": "Formation politique", "ht": "Fòmasyon politik"}),
    ("technical-training", {"es": "Formación técnica", "en": "Technical training", "pt": "Formação técnica", "fr": "Formation technique", "ht": "Fòmasyon teknik"}),
]  # fmt: skip


def seed(apps, schema_editor):
    Topic = apps.get_model("education", "Topic")
    for position, (code, names) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            code=code, defaults={"name": names["es"], "names": names, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("education", "0002_modules_lessons_materials_topics")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
