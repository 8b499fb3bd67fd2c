"""Abbreviations a Bericht may use; the glossary of a report lists those that occur in it."""

from __future__ import annotations

import re

ABKUERZUNGEN = {
    "AG": "Arbeitsgruppe",
    "ALK": "Allgemeine Landrätekonferenz",
    "BSI": "Bundesamt für Sicherheit in der Informationstechnik",
    "DSGVO": "Datenschutz-Grundverordnung",
    "E-Akte": "elektronische Akte",
    "EfA": "„Einer für Alle“ (ein Land entwickelt eine Lösung, andere nutzen sie mit)",
    "DMS": "Dokumentenmanagementsystem",
    "EMH": "Eifel-Mosel-Hunsrück (Modellvorhaben der Kreise Bernkastel-Wittlich, Cochem-Zell, Vulkaneifel)",
    "FtB": "Fiber to the Building (Glasfaser bis in das Gebäude)",
    "HF": "Handlungsfeld",
    "IKZ": "Interkommunale Zusammenarbeit",
    "ISMS": "Informationssicherheits-Managementsystem",
    "ISO": "Internationale Organisation für Normung",
    "IT": "Informationstechnik",
    "KGRZ": "Kommunales Gebietsrechenzentrum",
    "KDZ": "Kommunales Datenzentrum",
    "LKT": "Landkreistag Rheinland-Pfalz",
    "OZG": "Onlinezugangsgesetz",
    "RLP": "Rheinland-Pfalz",
    "RZ": "Rechenzentrum",
    "SaaS": "Software as a Service (Software als Dienstleistung)",
    "SLA": "Service Level Agreement (Leistungsvereinbarung)",
    "WLAN": "drahtloses lokales Netzwerk",
}


def glossar_fuer(texte: list[str], *, immer: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(Abkürzung, Bedeutung) for every abbreviation that occurs in the texts, alphabetically."""
    gesamt = "\n".join(texte)
    gefunden = {a for a in ABKUERZUNGEN if a in immer or re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", gesamt)}
    return sorted(((a, ABKUERZUNGEN[a]) for a in gefunden), key=lambda e: e[0].lower())
