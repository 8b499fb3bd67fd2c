# Meldebogenimport now lives in the meldebogen app (see meldebogen/migrations/0001_initial.py). Only the model
# state leaves massnahmen; the table massnahmen_meldebogenimport and its rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('massnahmen', '0006_dateistand'),
        ('meldebogen', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Meldebogenimport')],
            database_operations=[],
        ),
    ]
