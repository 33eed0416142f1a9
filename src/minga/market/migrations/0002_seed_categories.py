"""Seed the categories of offers and needs. They are data: staff can add more in the admin."""

from django.db import migrations

CATEGORIES = [
    ("seeds", "Semillas", {"en": "Seeds", "pt": "Sementes", "fr": "Semences", "ht": "Semans"}),
    ("food", "Alimentos y productos agroalimentarios", {"en": "Food and agrifood products", "pt": "Alimentos e produtos agroalimentares", "fr": "Aliments et produits agroalimentaires", "ht": "Manje ak pwodui agwo-alimantè"}),
    ("tools", "Herramientas", {"en": "Tools", "pt": "Ferramentas", "fr": "Outils", "ht": "Zouti"}),
    ("crafts", "Artesanías", {"en": "Crafts", "pt": "Artesanato", "fr": "Artisanat", "ht": "Atizana"}),
    ("textiles", "Textiles", {"en": "Textiles", "pt": "Têxteis", "fr": "Textiles", "ht": "Twal"}),
    ("transport", "Transporte", {"en": "Transport", "pt": "Transporte", "fr": "Transport", "ht": "Transpò"}),
    ("training", "Formación y saberes", {"en": "Training and knowledge", "pt": "Formação e saberes", "fr": "Formation et savoirs", "ht": "Fòmasyon ak konesans"}),
    ("health", "Salud", {"en": "Health", "pt": "Saúde", "fr": "Santé", "ht": "Sante"}),
    ("construction", "Construcción", {"en": "Construction", "pt": "Construção", "fr": "Construction", "ht": "Konstriksyon"}),
    ("services", "Servicios", {"en": "Services", "pt": "Serviços", "fr": "Services", "ht": "Sèvis"}),
]


def seed(apps, schema_editor):
    Category = apps.get_model("market", "Category")
    for position, (code, name, names) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code, defaults={"name": name, "names": {"es": name, **names}, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("market", "0001_listings_and_categories")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
