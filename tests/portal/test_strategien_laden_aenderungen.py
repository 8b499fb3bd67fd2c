"""manage.py strategien_laden after a data file was edited: what left a file goes, nothing is doubled, what users
changed in the portal stays, a second run changes nothing, and reverting the file restores the original state."""

import datetime as dt
import importlib
import shutil
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db.models import F

from handlungsfelder.models import Kennzahl, Ziel
from massnahmen import services as massnahmen_services
from massnahmen.models import Massnahme, Meilenstein, Statusmeldung, Umsetzungsstand
from portal.services.datenimport import DATEN_VERZEICHNIS
from tests.conftest import KGRZ, RLP
from tests.portal.datendateien import KGRZ_DATEI, RLP_DATEI, edit_datendatei, massnahme_in


def _zustand():
    """Everything the loader writes, by natural keys: ids, timestamps and versions differ after a reload."""
    return {
        "Leitsätze": sorted(
            Ziel.objects.values_list(
                "handlungsfeld__strategie__slug", "handlungsfeld__nummer", "nummer", "text", "quelle"
            )
        ),
        "Kennzahlen": sorted(
            Kennzahl.objects.values_list(
                "handlungsfeld__strategie__slug",
                "handlungsfeld__nummer",
                "bezeichnung",
                "stand",
                "ordnung",
                "wert",
                "einheit",
                "quelle",
            )
        ),
        "Maßnahmen": sorted(
            Massnahme.objects.values_list("strategie__slug", "code", "titel", "beschreibung", "is_archived")
        ),
        "Leitsatz-Zuordnungen": sorted(
            Massnahme.ziele.through.objects.values_list(
                "massnahme__strategie__slug", "massnahme__code", "ziel__handlungsfeld__nummer", "ziel__nummer"
            )
        ),
        "Meilensteine": sorted(
            Meilenstein.objects.values_list(
                "massnahme__strategie__slug",
                "massnahme__code",
                "ordnung",
                "datei_nummer",
                "titel",
                "faellig_am",
                "erreicht_am",
            ),
            key=str,
        ),
        "Statusmeldungen": sorted(
            Statusmeldung.objects.values_list(
                "massnahme__strategie__slug",
                "massnahme__code",
                "organisation__kennung",
                "quelle",
                "stichtag",
                "status",
                "text",
                "von",
                "ist_demo",
            ),
            key=str,
        ),
        "Umsetzungsstände": sorted(
            Umsetzungsstand.objects.values_list(
                "massnahme__strategie__slug",
                "massnahme__code",
                "organisation__kennung",
                "letzte_meldung__quelle",
                "letzte_meldung__stichtag",
                "stichtag",
                "status",
                "fortschritt",
            )
        ),
    }


def _load(verzeichnis=DATEN_VERZEICHNIS) -> str:
    ausgabe = StringIO()
    call_command("strategien_laden", verzeichnis=str(verzeichnis), stdout=ausgabe)
    return ausgabe.getvalue()


def _restore(datenkopie, datei):
    shutil.copy(DATEN_VERZEICHNIS / datei, datenkopie / datei)


def test_renamed_kennzahl_replaces_the_old_one_and_reverting_restores_it(datenkopie):
    vorher = _zustand()
    edit_datendatei(
        datenkopie / RLP_DATEI,
        lambda d: d["handlungsfelder"][2]["kennzahlen"][0].update(bezeichnung="Software insgesamt"),
    )

    ausgabe = _load(datenkopie)

    kennzahlen = Kennzahl.objects.filter(handlungsfeld__strategie__slug=RLP, handlungsfeld__nummer="III")
    assert list(kennzahlen.order_by("ordnung").values_list("bezeichnung", flat=True)) == [
        "Software insgesamt",
        "Software - Visualisierung",
        "Software-Übersicht Fachverfahren",
    ]
    assert "1 Kennzahlen neu" in ausgabe and "1 Kennzahlen entfernt" in ausgabe
    assert "Keine Änderungen" in _load(datenkopie)

    _restore(datenkopie, RLP_DATEI)
    ausgabe = _load(datenkopie)

    assert "1 Kennzahlen neu" in ausgabe and "1 Kennzahlen entfernt" in ausgabe
    assert _zustand() == vorher


def test_removed_leitsatz_is_deleted_with_its_links(datenkopie):
    vorher = _zustand()

    def ohne_leitsatz_5(d):
        d["handlungsfelder"][0]["ziele"].pop(4)
        massnahme_in(d, "I.7").update(ziele=[4])

    edit_datendatei(datenkopie / RLP_DATEI, ohne_leitsatz_5)

    ausgabe = _load(datenkopie)

    assert not Ziel.objects.filter(handlungsfeld__strategie__slug=RLP, handlungsfeld__nummer="I", nummer=5).exists()
    i7 = Massnahme.objects.get(strategie__slug=RLP, code="I.7")
    assert list(i7.ziele.values_list("nummer", flat=True)) == [4]
    assert "1 Leitsätze entfernt" in ausgabe and "1 Leitsatz-Zuordnungen geändert" in ausgabe
    assert "Keine Änderungen" in _load(datenkopie)

    _restore(datenkopie, RLP_DATEI)
    ausgabe = _load(datenkopie)

    assert "1 Leitsätze neu" in ausgabe and "1 Leitsatz-Zuordnungen geändert" in ausgabe
    assert _zustand() == vorher


def _nur_dateimeldungen(massnahme):
    meldungen = massnahme.statusmeldungen.all()
    assert meldungen and all(m.quelle and m.von_id is None and not m.ist_demo for m in meldungen)
    return meldungen


def test_changed_quelle_replaces_the_statusmeldung_and_moves_the_umsetzungsstand(datenkopie):
    massnahme = Massnahme.objects.get(strategie__slug=KGRZ, code="4.3")
    assert _nur_dateimeldungen(massnahme).count() == 2
    vorher = _zustand()
    neue_quelle = "Handlungsfeld Rechenzentrumsbetrieb, Ergebnisse, Punkt 7 (berichtigt)"
    edit_datendatei(
        datenkopie / KGRZ_DATEI, lambda d: massnahme_in(d, "4.3")["statusmeldungen"][0].update(quelle=neue_quelle)
    )

    ausgabe = _load(datenkopie)

    assert sorted(massnahme.statusmeldungen.values_list("quelle", flat=True)) == [
        "Handlungsfeld Rechenzentrumsbetrieb, Ergebnisse, Punkt 6",
        neue_quelle,
    ]
    assert "1 Statusmeldungen neu" in ausgabe and "1 Statusmeldungen entfernt" in ausgabe
    stand = massnahme.umsetzungsstaende.get()
    assert set(massnahme.statusmeldungen.values_list("pk", flat=True)) >= {stand.letzte_meldung_id}
    assert "Keine Änderungen" in _load(datenkopie)

    _restore(datenkopie, KGRZ_DATEI)
    ausgabe = _load(datenkopie)

    assert "1 Statusmeldungen neu" in ausgabe and "1 Statusmeldungen entfernt" in ausgabe
    assert _zustand() == vorher


def test_removed_statusmeldungen_go_and_their_umsetzungsstand_falls_back_or_goes(datenkopie):
    massnahme = Massnahme.objects.get(strategie__slug=KGRZ, code="4.3")
    neueste = massnahme.umsetzungsstaende.get().letzte_meldung
    vorher = _zustand()
    edit_datendatei(
        datenkopie / KGRZ_DATEI,
        lambda d: massnahme_in(d, "4.3")["statusmeldungen"].remove(
            next(m for m in massnahme_in(d, "4.3")["statusmeldungen"] if m["quelle"] == neueste.quelle)
        ),
    )

    ausgabe = _load(datenkopie)

    verbleibende = massnahme.statusmeldungen.get()
    assert verbleibende.quelle != neueste.quelle
    assert massnahme.umsetzungsstaende.get().letzte_meldung == verbleibende
    assert "1 Statusmeldungen entfernt" in ausgabe

    edit_datendatei(datenkopie / KGRZ_DATEI, lambda d: massnahme_in(d, "4.3").update(statusmeldungen=[]))
    ausgabe = _load(datenkopie)

    assert not massnahme.statusmeldungen.exists() and not massnahme.umsetzungsstaende.exists()
    assert "1 Statusmeldungen entfernt" in ausgabe and "1 Umsetzungsstände entfernt" in ausgabe
    assert "Keine Änderungen" in _load(datenkopie)

    _restore(datenkopie, KGRZ_DATEI)
    assert "2 Statusmeldungen neu" in _load(datenkopie)
    assert _zustand() == vorher


def test_portal_statusmeldung_is_kept_when_the_files_go(datenkopie, kgrz_user):
    massnahme = Massnahme.objects.get(strategie__slug=KGRZ, code="4.3")
    kgrz = massnahme.federfuehrung
    stand = massnahme.umsetzungsstaende.get(organisation=kgrz)
    eigene = massnahmen_services.record_statusmeldung(
        actor=kgrz_user,
        massnahme=massnahme,
        organisation=kgrz,
        erwartete_version=stand.version,
        meldung=massnahmen_services.Meldung(stichtag=dt.date.today(), status="umgesetzt", text="Weiter in Betrieb."),
    )
    edit_datendatei(datenkopie / KGRZ_DATEI, lambda d: massnahme_in(d, "4.3").update(statusmeldungen=[]))

    ausgabe = _load(datenkopie)

    assert list(massnahme.statusmeldungen.all()) == [eigene]
    assert massnahme.umsetzungsstaende.get().letzte_meldung == eigene
    assert "2 Statusmeldungen entfernt" in ausgabe


def test_removed_meilenstein_goes_unless_it_was_reached(datenkopie, geschaeftsstelle_user):
    iv1 = Massnahme.objects.get(strategie__slug=RLP, code="IV.1")
    i5 = Massnahme.objects.get(strategie__slug=RLP, code="I.5")
    erreicht = iv1.meilensteine.get(datei_nummer=3)
    massnahmen_services.save_meilenstein(
        actor=geschaeftsstelle_user,
        massnahme=iv1,
        meilenstein=erreicht,
        titel=erreicht.titel,
        faellig_am=None,
        erreicht_am=dt.date(2024, 5, 1),
    )

    def ohne_letzte_meilensteine(d):
        massnahme_in(d, "IV.1")["meilensteine"].pop()
        massnahme_in(d, "I.5")["meilensteine"].pop()

    edit_datendatei(datenkopie / RLP_DATEI, ohne_letzte_meilensteine)

    ausgabe = _load(datenkopie)

    assert i5.meilensteine.count() == 2
    erreicht.refresh_from_db()
    assert erreicht.datei_nummer is None and erreicht.erreicht_am == dt.date(2024, 5, 1)
    assert iv1.meilensteine.count() == 3
    assert "1 Meilensteine entfernt" in ausgabe and "1 Meilensteine geändert" in ausgabe
    assert "Keine Änderungen" in _load(datenkopie)

    _restore(datenkopie, RLP_DATEI)
    _load(datenkopie)

    assert i5.meilensteine.count() == 3
    assert iv1.meilensteine.count() == 4  # the reached one stays the users'; the file's third comes anew
    assert iv1.meilensteine.get(datei_nummer=3).ordnung == 4


def test_meilenstein_added_to_the_file_leaves_the_portal_one_alone(datenkopie, geschaeftsstelle_user):
    iv1 = Massnahme.objects.get(strategie__slug=RLP, code="IV.1")
    eigener = massnahmen_services.save_meilenstein(
        actor=geschaeftsstelle_user,
        massnahme=iv1,
        meilenstein=None,
        titel="Workshop mit den Kreisen",
        faellig_am=dt.date(2025, 3, 1),
        erreicht_am=None,
    )
    vorher = _zustand()
    edit_datendatei(
        datenkopie / RLP_DATEI,
        lambda d: massnahme_in(d, "IV.1")["meilensteine"].append(
            {"titel": "Migrationsplan beschlossen", "faellig_am": dt.date(2025, 6, 30)}
        ),
    )

    ausgabe = _load(datenkopie)

    eigener.refresh_from_db()
    assert (eigener.titel, eigener.ordnung, eigener.datei_nummer) == ("Workshop mit den Kreisen", 4, None)
    neu = iv1.meilensteine.get(datei_nummer=4)
    assert (neu.titel, neu.ordnung) == ("Migrationsplan beschlossen", 5)
    assert "1 Meilensteine neu" in ausgabe
    assert "Keine Änderungen" in _load(datenkopie)

    _restore(datenkopie, RLP_DATEI)
    assert "1 Meilensteine entfernt" in _load(datenkopie)
    assert _zustand() == vorher


def test_description_edited_in_the_portal_survives_reloads_until_the_file_changes_it(datenkopie, kgrz_user):
    massnahme = Massnahme.objects.get(strategie__slug=KGRZ, code="5.3")
    massnahmen_services.update_beschreibung(
        actor=kgrz_user, massnahme=massnahme, beschreibung="Monatliches Reporting."
    )

    assert "Keine Änderungen" in _load()
    massnahme.refresh_from_db()
    assert massnahme.beschreibung == "Monatliches Reporting."

    # The file changes another field of the Maßnahme: that is loaded, the description stays, also on later runs.
    edit_datendatei(datenkopie / KGRZ_DATEI, lambda d: massnahme_in(d, "5.3").update(titel="Neuer Titel"))
    assert "1 Maßnahmen geändert" in _load(datenkopie)
    assert "Keine Änderungen" in _load(datenkopie)
    massnahme.refresh_from_db()
    assert (massnahme.titel, massnahme.beschreibung) == ("Neuer Titel", "Monatliches Reporting.")

    # The file changes the description itself: the file wins.
    edit_datendatei(
        datenkopie / KGRZ_DATEI, lambda d: massnahme_in(d, "5.3").update(beschreibung="Quartalsweises Reporting.")
    )
    assert "1 Maßnahmen geändert" in _load(datenkopie)
    massnahme.refresh_from_db()
    assert massnahme.beschreibung == "Quartalsweises Reporting."
    assert "Keine Änderungen" in _load(datenkopie)


def test_meilenstein_edited_in_the_portal_survives_reloads(datenkopie, geschaeftsstelle_user):
    iv1 = Massnahme.objects.get(strategie__slug=RLP, code="IV.1")
    meilenstein = iv1.meilensteine.get(datei_nummer=2)
    massnahmen_services.save_meilenstein(
        actor=geschaeftsstelle_user,
        massnahme=iv1,
        meilenstein=meilenstein,
        titel="Lokal betriebene Anwendungen festgelegt",
        faellig_am=dt.date(2025, 12, 31),
        erreicht_am=dt.date(2025, 11, 3),
    )

    assert "Keine Änderungen" in _load()
    edit_datendatei(
        datenkopie / RLP_DATEI,
        lambda d: massnahme_in(d, "IV.1")["meilensteine"][1].update(faellig_am=dt.date(2026, 6, 30)),
    )
    assert "1 Meilensteine geändert" in _load(datenkopie)
    assert "Keine Änderungen" in _load(datenkopie)

    meilenstein.refresh_from_db()
    assert meilenstein.titel == "Lokal betriebene Anwendungen festgelegt"  # the file kept its title: the user's stays
    assert meilenstein.faellig_am == dt.date(2026, 6, 30)  # the file changed the date: the file wins
    assert meilenstein.erreicht_am == dt.date(2025, 11, 3)


def test_migration_marks_the_meilensteine_the_loader_created(rlp, geschaeftsstelle_user):
    migration = importlib.import_module("massnahmen.migrations.0005_meilenstein_datei_nummer")
    iv1 = Massnahme.objects.get(strategie=rlp, code="IV.1")
    eigener = massnahmen_services.save_meilenstein(
        actor=geschaeftsstelle_user,
        massnahme=iv1,
        meilenstein=None,
        titel="Workshop",
        faellig_am=None,
        erreicht_am=None,
    )
    Meilenstein.objects.update(datei_nummer=None)  # as before the migration

    migration.markiere_dateimeilensteine(apps, None)

    assert list(iv1.meilensteine.values_list("ordnung", "datei_nummer")) == [(1, 1), (2, 2), (3, 3), (4, None)]
    assert not Meilenstein.objects.filter(datei_nummer__isnull=False).exclude(datei_nummer=F("ordnung")).exists()
    eigener.refresh_from_db()
    assert eigener.datei_nummer is None


def test_migration_fills_dateistand_with_what_the_loader_last_wrote(rlp, kgrz_user):
    migration = importlib.import_module("massnahmen.migrations.0006_dateistand")
    massnahme = Massnahme.objects.get(strategie__slug=KGRZ, code="5.3")
    aus_der_datei = massnahme.beschreibung
    massnahmen_services.update_beschreibung(actor=kgrz_user, massnahme=massnahme, beschreibung="Monatlich.")
    Massnahme.objects.update(dateistand={})  # as before the migration
    Meilenstein.objects.update(dateistand={})

    migration.fuelle_dateistand(apps, None)

    massnahme.refresh_from_db()
    assert massnahme.dateistand == {"beschreibung": aus_der_datei}
    meilenstein = Meilenstein.objects.filter(datei_nummer__isnull=False).first()
    faellig_am = meilenstein.faellig_am.isoformat() if meilenstein.faellig_am else None
    assert meilenstein.dateistand == {"titel": meilenstein.titel, "faellig_am": faellig_am}
    assert "Keine Änderungen" in _load()
    massnahme.refresh_from_db()
    assert massnahme.beschreibung == "Monatlich."
