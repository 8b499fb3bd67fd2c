"""What a Bericht shows, gathered for its templates.

Every figure comes from the dashboard's as-of selectors (`berichte.selectors`), called with the Bericht's
Stichtag and frozen Datenstand and the report's visibility (every Organisation, no vertraulich text), so
the report and the dashboard for that Stichtag cannot disagree and rendering it again later gives the
same numbers. This module only adds master data (Leitsätze, Federführung, source texts) and the
editorial texts. The types it fills are in `berichte.services.berichtsinhalt`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from berichte import charts, exports, pdf
from berichte.glossar import glossar_fuer
from berichte.models import Bericht
from berichte.selectors import BERICHT, Zeitpunkt, massnahmen_damals, read_uebersicht, read_veraenderung
from berichte.services.berichtsinhalt import (
    MATRIX_SPALTEN,
    Berichtsinhalt,
    Ergebnis,
    Kapitel,
    Massnahmenzeile,
    Matrixteil,
    Matrixzeile,
    Textteil,
)
from berichte.texte import markdown_to_html
from handlungsfelder.models import Handlungsfeld
from massnahmen.models import Massnahme, Statusmeldung
from massnahmen.selectors.massnahmen import OHNE_HANDLUNGSFELD
from strategie.models import Abschnitt

Schrittmelder = Callable[[str, int], None]


def _kein_schritt(schritt: str, fortschritt: int) -> None:
    return None


def _ergebnisse(bericht: Bericht, massnahmen: list[Massnahme]) -> dict[int, list[Ergebnis]]:
    """Results of the period: non-vertraulich Statusmeldungen with a text, known by the Datenstand.

    The period runs from the previous Bericht's Stichtag of the same kind (exclusive) to this Stichtag.
    """
    vorgaenger = (
        Bericht.objects.filter(
            strategie=bericht.strategie,
            art=bericht.art,
            berichtsjahr__lt=bericht.berichtsjahr,
            freigegeben_am__isnull=False,
        )
        .order_by("-berichtsjahr", "-version")
        .first()
    )
    meldungen = (
        Statusmeldung.objects.filter(
            massnahme__in=massnahmen,
            vertraulich=False,
            stichtag__lte=bericht.stichtag,
            gemeldet_am__lte=bericht.datenstand,
        )
        .exclude(text="")
        .select_related("organisation")
        .order_by("massnahme_id", "stichtag", "gemeldet_am", "id")
    )
    if vorgaenger is not None:
        meldungen = meldungen.filter(stichtag__gt=vorgaenger.stichtag)
    ergebnisse: dict[int, list[Ergebnis]] = {}
    for meldung in meldungen:
        ergebnisse.setdefault(meldung.massnahme_id, []).append(
            Ergebnis(meldung.stichtag, meldung.organisation.kurzname, meldung.text)
        )
    return ergebnisse


def build_berichtsinhalt(*, bericht: Bericht, schritt: Schrittmelder = _kein_schritt) -> Berichtsinhalt:
    """Everything the templates of `bericht` show, as of its Stichtag and Datenstand."""
    strategie = bericht.strategie
    handlungsfelder = list(
        Handlungsfeld.objects.filter(strategie=strategie).prefetch_related("ziele").order_by("ordnung")
    )
    zeitpunkt = Zeitpunkt.am(bericht.stichtag, bericht.datenstand)
    massnahmen = list(  # those the figures count, with Frist and Handlungsfeld: at S, as known at the Datenstand
        massnahmen_damals(strategie, zeitpunkt).select_related("federfuehrung").order_by("hf_ordnung", "code")
    )
    ergebnisse = _ergebnisse(bericht, massnahmen) if bericht.art == Bericht.Art.UMSETZUNGSBERICHT else {}
    je_feld: dict[int, list[Massnahmenzeile]] = {}
    for m in massnahmen:
        je_feld.setdefault(m.hf_damals, []).append(
            Massnahmenzeile(
                code=m.code,
                titel=m.titel,
                federfuehrung=m.federfuehrung.kurzname if m.federfuehrung_id else "–",
                frist=m.frist_damals,
                frist_herkunft=m.frist_herkunft,
                gemeinsam=m.ist_gemeinsam,
                ergebnisse=ergebnisse.get(m.pk, []),
            )
        )
    kapitel = [
        Kapitel(
            id=hf.pk,
            nummer=hf.nummer,
            titel=hf.titel,
            anker=f"hf-{hf.nummer}",
            leitsaetze=[ziel.text for ziel in sorted(hf.ziele.all(), key=lambda z: z.nummer)],
            ziele_text=hf.ziele_text,
            massnahmen=je_feld.get(hf.pk, []),
            einschaetzung_html=markdown_to_html(bericht.einschaetzungen.get(hf.nummer, "")),
        )
        for hf in handlungsfelder
    ]
    if None in je_feld:  # Maßnahmen of the strategy as a whole (e.g. II.4, II.5 of RLP): a chapter of their own
        kapitel.append(
            Kapitel(
                nummer="",
                titel=OHNE_HANDLUNGSFELD,
                anker="grundsaetze",
                leitsaetze=[],
                ziele_text="",
                massnahmen=je_feld[None],
                einschaetzung_html="",
            )
        )
    abschnitte = list(strategie.abschnitte.order_by("ordnung"))
    art = "Jahresbericht" if bericht.art == Bericht.Art.ALK_JAHRESBERICHT else "Umsetzungsbericht"
    inhalt = Berichtsinhalt(
        titel=f"{art} {bericht.berichtsjahr}",
        untertitel=strategie.titel,
        gremium=strategie.gremium or (strategie.traeger.name if strategie.traeger_id else ""),
        stichtag=bericht.stichtag,
        datenstand=timezone.localtime(bericht.datenstand),
        vorwort_html=markdown_to_html(bericht.vorwort),
        fazit_html=markdown_to_html(bericht.fazit),
        kapitel=kapitel,
        leitgedanke=[Textteil.aus(a) for a in abschnitte if a.art == Abschnitt.Art.LEITGEDANKE],
        schwerpunkte=[Textteil.aus(a) for a in abschnitte if a.art == Abschnitt.Art.SCHWERPUNKTE],
        fazit_quelle=[Textteil.aus(a) for a in abschnitte if a.art == Abschnitt.Art.FAZIT],
        randnotizen=_randnotizen(abschnitte),
        schluesselwoerter=[strategie.kurztitel, art, str(bericht.berichtsjahr), "Umsetzungsstand", "Maßnahmen"],
    )
    schritt(Bericht.Schritt.ZAHLEN, 15)
    _zahlen(bericht, inhalt)
    schritt(Bericht.Schritt.DIAGRAMME, 35)
    _diagramme(bericht, inhalt)
    texte = [strategie.titel, bericht.vorwort, bericht.fazit, *bericht.einschaetzungen.values()]
    for k in kapitel:
        texte += [k.titel, k.ziele_text, *k.leitsaetze, *(m.titel for m in k.massnahmen)]
        texte += [e.text for m in k.massnahmen for e in m.ergebnisse]
    for teil in (*inhalt.leitgedanke, *inhalt.schwerpunkte, *inhalt.fazit_quelle):
        texte += [*teil.absaetze, *teil.punkte]
    immer = ("ALK",) if bericht.art == Bericht.Art.ALK_JAHRESBERICHT else ()
    inhalt.glossar = glossar_fuer(texte, immer=immer)
    return inhalt


def _randnotizen(abschnitte: list[Abschnitt]) -> dict[str, list[str]]:
    """The source's margin notes beside the Leitgedanke, the Handlungsfelder and the Fazit."""
    leitgedanke = {a.titel for a in abschnitte if a.art == Abschnitt.Art.LEITGEDANKE and a.titel}
    notizen: dict[str, list[str]] = {}
    for a in abschnitte:
        if a.art != Abschnitt.Art.RANDNOTIZ:
            continue
        teil = {"Handlungsfelder": "handlungsfelder", "Fazit": "fazit"}.get(a.bezug)
        if a.bezug in leitgedanke:
            teil = "leitgedanke"
        if teil:
            notizen.setdefault(teil, []).append(a.text)
    return notizen


def vergleichszeitpunkt(bericht: Bericht) -> tuple[Zeitpunkt, str]:
    """The previous year's released Bericht of the same kind (its Stichtag and Datenstand), else the Stichtag one
    year earlier with this Datenstand; and a sentence that says which."""
    vorjahr = (
        Bericht.objects.filter(
            strategie=bericht.strategie,
            art=bericht.art,
            berichtsjahr=bericht.berichtsjahr - 1,
            freigegeben_am__isnull=False,
            datenstand__lte=bericht.datenstand,
        )
        .order_by("-version")
        .first()
    )
    if vorjahr is not None:
        text = (
            f"Verglichen wird mit dem freigegebenen Bericht {vorjahr.berichtsjahr} (Version {vorjahr.version}): "
            f"Stichtag {vorjahr.stichtag:%d.%m.%Y}, Datenstand {timezone.localtime(vorjahr.datenstand):%d.%m.%Y, %H:%M} Uhr."
        )
        return Zeitpunkt.am(vorjahr.stichtag, vorjahr.datenstand), text
    try:
        stichtag = bericht.stichtag.replace(year=bericht.stichtag.year - 1)
    except ValueError:  # 29 February
        stichtag = bericht.stichtag.replace(year=bericht.stichtag.year - 1, day=28)
    text = (
        f"Für das Vorjahr gibt es keinen freigegebenen Bericht. Verglichen wird mit dem Stand zum {stichtag:%d.%m.%Y}, "
        "wie er zum Datenstand dieses Berichts gemeldet war."
    )
    return Zeitpunkt.am(stichtag, bericht.datenstand), text


def _zahlen(bericht: Bericht, inhalt: Berichtsinhalt) -> None:
    """The as-of figures (dashboard selectors) of the Stichtag and, for comparison, of the previous year."""
    strategie = bericht.strategie
    zeitpunkt = Zeitpunkt.am(bericht.stichtag, bericht.datenstand)
    uebersicht = read_uebersicht(strategie=strategie, zeitpunkt=zeitpunkt, sichtbarkeit=BERICHT)
    inhalt.uebersicht = uebersicht
    staende = {m.code: m for m in uebersicht.massnahmen}
    for kapitel in inhalt.kapitel:
        for zeile in kapitel.massnahmen:
            zeile.stand = staende.get(zeile.code)
    if bericht.art == Bericht.Art.ALK_JAHRESBERICHT:
        seit, inhalt.vergleich_text = vergleichszeitpunkt(bericht)
        inhalt.veraenderung = read_veraenderung(
            strategie=strategie, seit=seit, bis=zeitpunkt, sichtbarkeit=BERICHT, uebersicht=uebersicht
        )
        inhalt.matrix_teile = _matrix_teile(uebersicht, inhalt.kapitel)
    inhalt.anhaenge = _anhaenge(bericht, inhalt)


def _anhaenge(bericht: Bericht, inhalt: Berichtsinhalt) -> list[pdf.Anhang]:
    """The report's figures as the dashboard exports them (same tables, same CSV), carried inside the PDF."""
    veraenderung = inhalt.veraenderung

    def kopf(name: str) -> list[tuple[str, str]]:
        # As the dashboard export: only the table of changes names the date it compares with.
        return exports.kopfzeilen(
            strategie_titel=bericht.strategie.titel,
            stichtag=bericht.stichtag,
            datenstand=bericht.datenstand,
            filter_text="",
            vergleich=veraenderung.seit.stichtag if veraenderung and name == "veraenderung" else None,
        )

    return [
        pdf.Anhang(f"{name}.csv", exports.als_csv(tabelle, kopf(name)), tabelle.titel)
        for name, tabelle in exports.tabellen_dashboard(inhalt.uebersicht, veraenderung).items()
    ]


def _matrix_teile(uebersicht, kapitel: list[Kapitel]) -> list[Matrixteil]:
    """The dashboard's matrix, cut by Handlungsfeld and into pieces of at most MATRIX_SPALTEN columns."""
    matrix = uebersicht.matrix
    if matrix is None:
        return []
    titel = {k.nummer: k.titel for k in kapitel}
    teile = []
    for nummer in titel:
        spalten = [i for i, m in enumerate(matrix.massnahmen) if (m.handlungsfeld_nummer or "") == nummer]
        for start in range(0, len(spalten), MATRIX_SPALTEN):
            stueck = spalten[start : start + MATRIX_SPALTEN]
            zeilen = []
            for organisation in matrix.organisationen:
                zellen = matrix.zeile(organisation.id)
                auswahl = [zellen[i] for i in stueck]
                if any(z is not None for z in auswahl):
                    zeilen.append(Matrixzeile(organisation, auswahl))
            teile.append(Matrixteil(nummer, titel[nummer], [matrix.massnahmen[i] for i in stueck], zeilen))
    return teile


def _diagramme(bericht: Bericht, inhalt: Berichtsinhalt) -> None:
    """The dashboard's SVG charts for the same figures: per Handlungsfeld the progress of its Maßnahmen."""
    stichtag = f"{bericht.stichtag:%d.%m.%Y}"
    felder = inhalt.uebersicht.handlungsfelder if inhalt.uebersicht else []
    if felder:
        inhalt.diagramme = [
            charts.gestapelte_balken(
                kennung="bericht-status",
                titel=f"Status der Maßnahmen je Handlungsfeld am {stichtag}",
                beschreibung="Gestapelte Balken: je Handlungsfeld die Zahl der Maßnahmen nach Status. "
                + "; ".join(
                    f"{h.nummer} {h.titel}: "
                    + ", ".join(
                        f"{n} {k.label}" for k in charts.STATUS_KATEGORIEN if (n := h.nach_status.get(k.schluessel))
                    )
                    for h in felder
                ),
                zeilen=[(f"{h.nummer} {h.titel}", h.nach_status) for h in felder],
            ),
            charts.fortschrittsbalken(
                kennung="bericht-fortschritt",
                titel=f"Mittlerer Fortschritt je Handlungsfeld am {stichtag}",
                beschreibung="Balken von 0 bis 100 Prozent: "
                + "; ".join(f"{h.nummer} {h.titel}: {h.fortschritt} Prozent" for h in felder),
                zeilen=[(f"{h.nummer} {h.titel}", h.fortschritt) for h in felder],
            ),
        ]
    for kapitel in inhalt.kapitel:
        zeilen = [(z.code, z.stand.fortschritt) for z in kapitel.massnahmen if z.stand is not None]
        if not zeilen:
            continue
        kapitel.diagramme.append(
            charts.fortschrittsbalken(
                kennung=f"bericht-hf-{kapitel.anker}-fortschritt",
                titel="Fortschritt der Maßnahmen "
                + (f"im Handlungsfeld {kapitel.nummer}" if kapitel.ist_handlungsfeld else "der Strategie als Ganzes")
                + f" am {stichtag}",
                beschreibung="Balken von 0 bis 100 Prozent: "
                + "; ".join(f"{code}: {prozent} Prozent" for code, prozent in zeilen),
                zeilen=zeilen,
            )
        )
