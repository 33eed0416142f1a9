# Tokens made before scopes existed could write: they keep that scope; new ones default to read.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='personalaccesstoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('write', 'Read and write')], default='write', max_length=8, verbose_name='what it may do'),
        ),
        migrations.AlterField(
            model_name='personalaccesstoken',
            name='scope',
            field=models.CharField(choices=[('read', 'Read only'), ('write', 'Read and write')], default='read', max_length=8, verbose_name='what it may do'),
        ),
        migrations.AddField(
            model_name='personalaccesstoken',
            name='suspended_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='suspended'),
        ),
    ]
