import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Permissions and admin log entries of Meldebogenimport follow the model into its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="meldebogen", model="meldebogenimport").exists():
        ContentType.objects.filter(app_label="massnahmen", model="meldebogenimport").update(app_label="meldebogen")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="massnahmen", model="meldebogenimport").exists():
        ContentType.objects.filter(app_label="meldebogen", model="meldebogenimport").update(app_label="massnahmen")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('massnahmen', '0006_dateistand'),
        ('strategie', '0003_feldbezeichnungen'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Meldebogenimport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='angelegt am')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='geändert am')),
                        ('datei', models.FileField(upload_to='meldeboegen/', verbose_name='Datei')),
                        ('dateiname', models.CharField(max_length=255, verbose_name='Dateiname')),
                        ('zustand', models.CharField(choices=[('angefordert', 'angefordert'), ('in_arbeit', 'in Arbeit'), ('fertig', 'fertig'), ('abgelehnt', 'abgelehnt (Fehler in der Datei)'), ('fehlgeschlagen', 'fehlgeschlagen')], default='angefordert', max_length=15, verbose_name='Zustand')),
                        ('fortschritt', models.PositiveSmallIntegerField(default=0, verbose_name='Fortschritt in Prozent')),
                        ('zeilen', models.PositiveIntegerField(default=0, verbose_name='Zeilen')),
                        ('gemeldet', models.PositiveIntegerField(default=0, verbose_name='übernommene Meldungen')),
                        ('fehler', models.JSONField(blank=True, default=list, verbose_name='Fehlerbericht')),
                        ('abgeschlossen_am', models.DateTimeField(blank=True, null=True, verbose_name='abgeschlossen am')),
                        ('berichtsrunde', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='importe', to='massnahmen.berichtsrunde')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='strategie.organisation')),
                        ('strategie', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='strategie.strategie')),
                        ('von', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'Meldebogen-Import',
                        'verbose_name_plural': 'Meldebogen-Importe',
                        'db_table': 'massnahmen_meldebogenimport',
                        'ordering': ['-created_at'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('fortschritt__gte', 0), ('fortschritt__lte', 100)), name='import_fortschritt_0_100')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
