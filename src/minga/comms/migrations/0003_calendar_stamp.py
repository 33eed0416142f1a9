from django.db import migrations, models


def first_row(apps, schema_editor):
    apps.get_model("comms", "CalendarStamp").objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ('comms', '0002_event_calendar_keys'),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarStamp',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('revision', models.PositiveBigIntegerField(default=0)),
                ('changed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'calendar revision',
                'verbose_name_plural': 'calendar revisions',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='calendar_stamp_one_row')],
            },
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
    ]
