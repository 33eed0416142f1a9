# Regions and categories became controlled vocabularies (common.vocabulary): SKOS URI and hierarchy.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('market', '0002_seed_categories'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='broader',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='narrower', to='market.category', verbose_name='broader term'),
        ),
        migrations.AddField(
            model_name='category',
            name='uri',
            field=models.CharField(blank=True, max_length=300, verbose_name='concept URI'),
        ),
    ]
