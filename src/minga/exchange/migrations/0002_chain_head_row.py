"""The single row that marks the end of the journal's chain, locked by every writer."""

from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("exchange", "ChainHead").objects.get_or_create(id=1)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_ledger")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
