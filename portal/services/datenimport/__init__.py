"""Load the organisations and the transcribed strategies from strategie/daten/ into the database.

Idempotent: every object is found by its natural key and written only when a value differs, so a
second run changes nothing. What only the files hold (Leitsätze, Kennzahlen, Abschnitte, the files'
Statusmeldungen and Meilensteine) is deleted when it leaves its file. What users do in the portal
survives a reload: their Statusmeldungen and Meilensteine are never touched, Beteiligungen are only
added (their "seit"/"entfällt" belongs to the users), a description or milestone a user edited stays
until the file changes that very field (see _mit_nutzerwerten), and a Maßnahme that disappears from a
file is archived, not deleted. All of it runs in one transaction; bad data raises Datenfehler.
"""

from .laden import load_strategien
from .werte import DATEN_VERZEICHNIS, Ladeergebnis

__all__ = ["DATEN_VERZEICHNIS", "Ladeergebnis", "load_strategien"]
