# Regions and categories became controlled vocabularies (common.vocabulary): SKOS URI and hierarchy.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_seed_regions_and_languages'),
    ]

    operations = [
        migrations.AddField(
            model_name='region',
            name='broader',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='narrower', to='registry.region', verbose_name='broader term'),
        ),
        migrations.AddField(
            model_name='region',
            name='uri',
            field=models.CharField(blank=True, max_length=300, verbose_name='concept URI'),
        ),
    ]
