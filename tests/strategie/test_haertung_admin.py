"""Edits in the Django admin keep groups and object permissions in step, audited like the portal's own."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from massnahmen.models import Beteiligung, Massnahme
from strategie.models import Mitgliedschaft, Organisation, Sicherheitsereignis
from tests.conftest import RLP

User = get_user_model()
STRATEGIE = f"/{RLP}/"
MELDEN_I1 = f"/{RLP}/massnahmen/I.1/melden/"


@pytest.fixture
def betrieb(client, daten):
    """An operator with access to the admin only (no role in any strategy)."""
    admin = User.objects.create_superuser("betrieb", "betrieb@example.org", "Betrieb-Passwort-2026")
    client.force_login(admin)
    return admin


def _formulardaten(response) -> dict:
    """What the admin change form would post unchanged: main form and every inline formset."""
    daten = {}

    def uebernehmen(form):
        for name in form.fields:
            wert = form[name].value()
            if wert is None or wert is False:
                continue
            schluessel = form.add_prefix(name)
            if isinstance(wert, list | tuple):
                daten[schluessel] = [str(w) for w in wert]
            else:
                daten[schluessel] = "on" if wert is True else str(wert)

    uebernehmen(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            daten[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.forms:
            uebernehmen(form)
    return daten


def test_admin_deleting_a_mitgliedschaft_removes_access(client, betrieb, kusel_user, rlp):
    mitgliedschaft = kusel_user.mitgliedschaften.get(strategie=rlp)
    besucher = client.__class__()
    besucher.force_login(kusel_user)
    assert besucher.get(STRATEGIE).status_code == 200

    response = client.post(reverse("admin:strategie_mitgliedschaft_delete", args=[mitgliedschaft.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Mitgliedschaft.objects.filter(pk=mitgliedschaft.pk).exists()
    assert not kusel_user.groups.exists()
    assert besucher.get(STRATEGIE).status_code == 404
    geloescht = Mitgliedschaft.history.filter(id=mitgliedschaft.pk, history_type="-").get()
    assert geloescht.history_user == betrieb
    assert geloescht.history_change_reason == "Rolle in der Verwaltungsoberfläche entzogen"
    assert Sicherheitsereignis.objects.filter(art="rolle_entzogen", user=kusel_user, von=betrieb).exists()


def test_admin_bulk_delete_removes_access(client, betrieb, kusel_user, cochem_user, rlp):
    pks = [kusel_user.mitgliedschaften.get(strategie=rlp).pk, cochem_user.mitgliedschaften.get(strategie=rlp).pk]

    response = client.post(
        reverse("admin:strategie_mitgliedschaft_changelist"),
        {"action": "delete_selected", "_selected_action": pks, "post": "yes"},
    )

    assert response.status_code == 302
    assert not Mitgliedschaft.objects.filter(pk__in=pks).exists()
    for person in (kusel_user, cochem_user):
        besucher = client.__class__()
        besucher.force_login(person)
        assert besucher.get(STRATEGIE).status_code == 404
    assert set(Mitgliedschaft.history.filter(id__in=pks, history_type="-").values_list("history_user", flat=True)) == {
        betrieb.pk
    }


def test_admin_adding_a_mitgliedschaft_grants_access(client, betrieb, rlp):
    person = User.objects.create_user("neu-im-admin", "neu@example.org", "Ein-Passwort-2026")
    kusel = Organisation.objects.get(schluessel="07336")
    besucher = client.__class__()
    besucher.force_login(person)
    assert besucher.get(STRATEGIE).status_code == 404

    response = client.post(
        reverse("admin:strategie_mitgliedschaft_add"),
        {"user": person.pk, "strategie": rlp.pk, "organisation": kusel.pk, "rolle": "berichterstattung"},
    )

    assert response.status_code == 302
    assert besucher.get(STRATEGIE).status_code == 200
    assert besucher.get(MELDEN_I1).status_code == 200
    angelegt = Mitgliedschaft.objects.get(user=person).history.get()
    assert (angelegt.history_user, angelegt.history_change_reason) == (
        betrieb,
        "Rolle in der Verwaltungsoberfläche vergeben",
    )


def test_admin_changing_the_organisation_moves_the_rights(client, betrieb, kusel_user, rlp):
    mitgliedschaft = kusel_user.mitgliedschaften.get(strategie=rlp)
    cochem = Organisation.objects.get(schluessel="07135")
    besucher = client.__class__()
    besucher.force_login(kusel_user)
    kusel_pk = Organisation.objects.get(schluessel="07336").pk

    response = client.post(
        reverse("admin:strategie_mitgliedschaft_change", args=[mitgliedschaft.pk]),
        {"user": kusel_user.pk, "strategie": rlp.pk, "organisation": cochem.pk, "rolle": "berichterstattung"},
    )

    assert response.status_code == 302
    assert besucher.get(MELDEN_I1, {"organisation": cochem.pk}).status_code == 200
    assert besucher.get(MELDEN_I1, {"organisation": kusel_pk}).status_code in (403, 404)


def test_admin_refuses_organisation_outside_the_strategy(client, betrieb, kusel_user, rlp):
    mitgliedschaft = kusel_user.mitgliedschaften.get(strategie=rlp)
    kgrz = Organisation.objects.get(kennung="kgrz-koblenz")

    response = client.post(
        reverse("admin:strategie_mitgliedschaft_change", args=[mitgliedschaft.pk]),
        {"user": kusel_user.pk, "strategie": rlp.pk, "organisation": kgrz.pk, "rolle": "berichterstattung"},
    )

    assert response.status_code == 200
    assert "gehört nicht zur Strategie" in response.content.decode()
    assert Mitgliedschaft.objects.get(pk=mitgliedschaft.pk).organisation_id != kgrz.pk


def test_admin_cannot_delete_own_geschaeftsstelle_role(client, geschaeftsstelle_user, rlp):
    geschaeftsstelle_user.is_staff = geschaeftsstelle_user.is_superuser = True
    geschaeftsstelle_user.save()
    client.force_login(geschaeftsstelle_user)
    eigene = geschaeftsstelle_user.mitgliedschaften.get(strategie=rlp, rolle="geschaeftsstelle")

    response = client.post(reverse("admin:strategie_mitgliedschaft_delete", args=[eigene.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Mitgliedschaft.objects.filter(pk=eigene.pk).exists()


def test_admin_beteiligung_entfaellt_takes_the_report_right(client, betrieb, kusel_user, rlp):
    massnahme = Massnahme.objects.get(strategie=rlp, code="I.1")
    kusel = Organisation.objects.get(schluessel="07336")
    besucher = client.__class__()
    besucher.force_login(kusel_user)
    assert besucher.get(MELDEN_I1).status_code == 200
    url = reverse("admin:massnahmen_massnahme_change", args=[massnahme.pk])
    daten = _formulardaten(client.get(url))
    index = next(
        i
        for i in range(int(daten["beteiligungen-TOTAL_FORMS"]))
        if daten[f"beteiligungen-{i}-organisation"] == str(kusel.pk)
    )
    daten[f"beteiligungen-{index}-entfaellt"] = "on"
    daten[f"beteiligungen-{index}-begruendung"] = "Aufgabe liegt beim Land"

    response = client.post(url, daten)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert besucher.get(MELDEN_I1).status_code == 403
    beteiligung = Beteiligung.objects.get(massnahme=massnahme, organisation=kusel)
    assert beteiligung.entfaellt
    assert beteiligung.history.first().history_change_reason == "Beteiligung gespeichert in der Verwaltungsoberfläche"


def test_admin_edits_of_master_data_are_audited_with_user_and_german_reason(client, betrieb, rlp):
    handlungsfeld = rlp.handlungsfelder.get(nummer="I")
    url = reverse("admin:handlungsfelder_handlungsfeld_change", args=[handlungsfeld.pk])
    daten = _formulardaten(client.get(url))
    daten["titel"] = "Informationssicherheit und Datenschutz"
    daten["ziele-0-text"] = daten["ziele-0-text"] + " (ergänzt)"

    assert client.post(url, daten).status_code == 302

    eintrag = handlungsfeld.history.first()
    assert (eintrag.history_user, eintrag.history_change_reason) == (
        betrieb,
        "Handlungsfeld geändert in der Verwaltungsoberfläche",
    )
    ziel = handlungsfeld.ziele.get(pk=daten["ziele-0-id"])
    assert ziel.text.endswith("(ergänzt)")
    assert (ziel.history.first().history_user, ziel.history.first().history_change_reason) == (
        betrieb,
        "Leitsatz gespeichert in der Verwaltungsoberfläche",
    )

    kusel = Organisation.objects.get(schluessel="07336")
    url = reverse("admin:strategie_organisation_change", args=[kusel.pk])
    daten = _formulardaten(client.get(url))
    daten["einwohner"] = "70001"
    assert client.post(url, daten).status_code == 302
    assert kusel.history.first().history_change_reason == "Organisation geändert in der Verwaltungsoberfläche"


def test_admin_cannot_change_or_close_a_berichtsrunde(client, betrieb, rlp, geschaeftsstelle_user):
    from tests.meldebogen.meldebogen_hilfen import open_runde

    runde = open_runde(rlp, geschaeftsstelle_user)
    url = reverse("admin:massnahmen_berichtsrunde_change", args=[runde.pk])

    response = client.post(url, {"zustand": "geschlossen", "titel": runde.titel})

    assert response.status_code == 403
    runde.refresh_from_db()
    assert runde.zustand == "offen"


def test_admin_refuses_a_control_character_with_a_german_field_error(client, betrieb):
    """The portal's text rule holds in the admin as well (strategie/texte.py); the database stays unchanged."""
    kusel = Organisation.objects.get(schluessel="07336")
    url = reverse("admin:strategie_organisation_change", args=[kusel.pk])
    daten = _formulardaten(client.get(url))
    daten["name"] = "Landkreis\x0b Kusel\ufffe"

    antwort = client.post(url, daten)

    assert antwort.status_code == 200
    assert "enthält ein unzulässiges Steuer- oder Sonderzeichen (U+000B an Stelle 10)" in antwort.content.decode()
    kusel.refresh_from_db()
    assert kusel.name == "Landkreis Kusel"
