"""Agreement lines and clearing set-offs keep the client id of their ledger transfer.

New ones get a random id; existing ones keep the id they were derived with before (their
reservations and set-offs are already in the journal under it).
"""

from django.db import migrations, models


def keep_derived_ids(apps, schema_editor):
    AgreementLine = apps.get_model("exchange", "AgreementLine")
    ClearingSetoff = apps.get_model("exchange", "ClearingSetoff")
    for line in AgreementLine.objects.select_related("agreement").iterator():
        line.ledger_client_id = f"agr:{line.agreement.uuid.hex}:{line.pk}"
        line.save(update_fields=["ledger_client_id"])
    for setoff in ClearingSetoff.objects.select_related("round", "obligation").iterator():
        setoff.ledger_client_id = f"clr:{setoff.round.uuid.hex[:16]}:{setoff.obligation.uuid.hex}"
        setoff.save(update_fields=["ledger_client_id"])


class Migration(migrations.Migration):
    dependencies = [("exchange", "0004_units_sum_to_zero_on_postgresql")]

    operations = [
        migrations.AddField(
            model_name="agreementline",
            name="ledger_client_id",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="clearingsetoff",
            name="ledger_client_id",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(keep_derived_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="agreementline",
            name="ledger_client_id",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="clearingsetoff",
            name="ledger_client_id",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
