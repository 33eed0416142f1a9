
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import migrations, models

LONG = timedelta(days=2)


def derive_keys(apps, schema_editor):
    # The model's own method is not available to historical models: the same rule, inline.
    Event = apps.get_model("comms", "Event")
    changed = []
    for event in Event.objects.only("pk", "starts_at", "ends_at", "time_zone").iterator():
        try:
            zone = ZoneInfo(event.time_zone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        local = event.starts_at.astimezone(zone)
        event.anniversary = local.month * 100 + local.day
        event.lasts_long = event.ends_at is not None and event.ends_at - event.starts_at > LONG
        changed.append(event)
        if len(changed) == 2000:
            Event.objects.bulk_update(changed, ["anniversary", "lasts_long"])
            changed = []
    Event.objects.bulk_update(changed, ["anniversary", "lasts_long"])


class Migration(migrations.Migration):

    dependencies = [
        ('comms', '0001_bulletins_campaigns_events_digests'),
        ('federation', '0001_remote_actors_follows_inbox_outbox'),
        ('registry', '0003_vocabulary_uri_and_broader'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='event',
            name='anniversary',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='event',
            name='lasts_long',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(derive_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('yearly', True)), fields=['anniversary'], name='event_yearly_anniversary'),
        ),
        migrations.AddIndex(
            model_name='event',
            index=models.Index(condition=models.Q(('lasts_long', True)), fields=['starts_at'], name='event_long'),
        ),
    ]
