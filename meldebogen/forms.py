"""The Meldebogen upload form: checks only the file as such (type, size, macros); rows are checked by the service."""

from __future__ import annotations

from django import forms
from django.conf import settings

from meldebogen.services.format import Fehler, als_mb, als_zahl
from meldebogen.services.grenzen import validate_datei


class MeldebogenUploadForm(forms.Form):
    datei = forms.FileField(
        label="Ausgefüllter Meldebogen",
        error_messages={
            "required": "Bitte wählen Sie die ausgefüllte Datei aus.",
            "empty": "Die Datei ist leer.",
            "invalid": "Bitte wählen Sie eine Datei aus.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fehlerbericht: list[Fehler] = []
        feld = self.fields["datei"]
        feld.help_text = (
            f"Excel-Arbeitsmappe (.xlsx, ohne Makros) oder CSV-Datei (.csv), so wie Excel oder LibreOffice sie "
            "speichern: Semikolon oder Komma als Trennzeichen, UTF-8 (mit oder ohne BOM) oder Windows-1252, "
            f"höchstens {als_mb(settings.MELDEBOGEN_MAX_BYTES)} MB und {als_zahl(settings.MELDEBOGEN_MAX_ZEILEN)} "
            "Zeilen. Verwenden Sie den hier heruntergeladenen Meldebogen mit unveränderter Kopfzeile."
        )
        feld.widget.attrs.update(
            {
                "class": "kern-form-input__input",
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv",
            }
        )

    def clean_datei(self):
        datei = self.cleaned_data["datei"]
        fehler = validate_datei(dateiname=datei.name, groesse=datei.size)  # before reading: no oversized reads
        if not fehler:
            inhalt = datei.read()
            datei.seek(0)
            fehler = validate_datei(dateiname=datei.name, groesse=len(inhalt), inhalt=inhalt)
        if fehler:
            self.fehlerbericht = fehler
            raise forms.ValidationError([f.problem for f in fehler])
        return datei
