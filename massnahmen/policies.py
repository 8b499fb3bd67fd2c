"""Who may do what with Maßnahmen and their status. Every "may this user …?" for Maßnahmen is answered here."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from massnahmen.models import Beteiligung, Massnahme, Statusmeldung
from strategie import policies as strategie_policies
from strategie.models import Mitgliedschaft, Strategie


def massnahmen_visible_to(user) -> QuerySet[Massnahme]:
    return Massnahme.objects.filter(strategie__in=strategie_policies.strategien_visible_to(user))


def organisationen_im_detail_sichtbar(user, strategie: Strategie) -> frozenset[int] | None:
    """Organisations whose single Umsetzungsstand and Meldungen the user may read; None means all of them."""
    if strategie_policies.can_see_all_organisations(user, strategie):
        return None
    return strategie_policies.rollen_von(user, strategie).organisationen


def can_read_vertraulich(user, strategie: Strategie, organisation_id: int) -> bool:
    """Confidential text is read only by the reporting organisation and the Geschäftsstelle."""
    rollen = strategie_policies.rollen_von(user, strategie)
    return rollen.ist_geschaeftsstelle or organisation_id in rollen.berichtende_organisationen


def can_read_statusmeldung_text(user, strategie: Strategie, meldung: Statusmeldung) -> bool:
    return not meldung.vertraulich or can_read_vertraulich(user, strategie, meldung.organisation_id)


def organisationen_fuer_meldung(user, massnahme: Massnahme) -> frozenset[int]:
    """Organisations on whose behalf the user may report on this Maßnahme (empty: none)."""
    if massnahme.is_archived:
        return frozenset()
    return strategie_policies.organisationen_mit_recht(
        user, strategie_policies.REPORT_MASSNAHME, massnahme, strategie_id=massnahme.strategie_id
    )


def reports_anywhere(user) -> bool:
    """Whether the user reports on any Maßnahme at all (Berichterstattung, or a Geschäftsstelle for its Träger)."""
    if not strategie_policies.ist_aktiv(user):
        return False
    return get_objects_for_user(
        user, strategie_policies.REPORT_MASSNAHME, klass=Massnahme, with_superuser=False, accept_global_perms=False
    ).exists()


def can_report(user, massnahme: Massnahme, organisation_id: int) -> bool:
    return organisation_id in organisationen_fuer_meldung(user, massnahme)


def can_change_massnahme(user, massnahme: Massnahme) -> bool:
    """Federführung edits description and Meilensteine; the Geschäftsstelle may too."""
    return bool(
        strategie_policies.organisationen_mit_recht(
            user, strategie_policies.CHANGE_MASSNAHME, massnahme, strategie_id=massnahme.strategie_id
        )
    ) or strategie_policies.can_manage_strategie(user, massnahme.strategie)


def can_manage_beteiligung(user, massnahme: Massnahme, organisation_id: int) -> bool:
    """A Kreis joins or declares "entfällt" for itself; the Geschäftsstelle for anyone."""
    rollen = strategie_policies.rollen_von(user, massnahme.strategie)
    return rollen.ist_geschaeftsstelle or organisation_id in rollen.berichtende_organisationen


# --- Berichtsrunden ---------------------------------------------------------------------------------------------


def can_view_berichtsrunden(user, strategie: Strategie) -> bool:
    """Geschäftsstelle, Lenkungsausschuss and Berichterstattung follow the rounds; a Gast does not."""
    rollen = strategie_policies.rollen_von(user, strategie)
    return rollen.ist_geschaeftsstelle or rollen.ist_lenkungsausschuss or rollen.ist_berichterstattung


def can_manage_berichtsrunden(user, strategie: Strategie) -> bool:
    """Only the Geschäftsstelle opens and closes rounds."""
    return strategie_policies.can_manage_strategie(user, strategie)


def organisationen_in_berichtsrunde_sichtbar(user, strategie: Strategie) -> frozenset[int] | None:
    """Organisations whose line of a round the user reads; None means all (Geschäftsstelle, Lenkungsausschuss)."""
    rollen = strategie_policies.rollen_von(user, strategie)
    if rollen.ist_geschaeftsstelle or rollen.ist_lenkungsausschuss:
        return None
    return rollen.berichtende_organisationen


def organisationen_fuer_beteiligung(user, massnahme: Massnahme) -> frozenset[int]:
    """Organisations whose Beteiligung the user may declare: their own reporting ones; the Geschäftsstelle any
    organisation of the strategy."""
    rollen = strategie_policies.rollen_von(user, massnahme.strategie)
    if rollen.ist_geschaeftsstelle:
        return frozenset(massnahme.strategie.organisationen.values_list("pk", flat=True))
    return rollen.berichtende_organisationen


# --- Meldebogen (Excel/CSV download and upload) ----------------------------------------------------------------


def can_view_verlauf(user, massnahme: Massnahme) -> bool:
    """The audit trail of a Maßnahme: Geschäftsstelle, Lenkungsausschuss and the Federführung."""
    rollen = strategie_policies.rollen_von(user, massnahme.strategie)
    return rollen.ist_geschaeftsstelle or rollen.ist_lenkungsausschuss or can_change_massnahme(user, massnahme)


# --- object permissions of Maßnahmen (written only through strategie.policies.sync_objektrechte) --------------


def derive_objektrechte(strategie: Strategie, gruppen: strategie_policies.Rollengruppen) -> set:
    """The Maßnahme rows of a strategy, from its Beteiligungen and Federführungen:

    - Berichterstattung of a beteiligte Organisation (not "entfällt"): report on a Maßnahme je Organisation;
    - Berichterstattung of the federführende Organisation: change the Maßnahme, and report on it if gemeinsam;
    - a gemeinsame Maßnahme without Federführung is reported by the Geschäftsstelle for the Träger.
    """
    berichterstattung, geschaeftsstelle = Mitgliedschaft.Rolle.BERICHTERSTATTUNG, Mitgliedschaft.Rolle.GESCHAEFTSSTELLE
    ct = ContentType.objects.get_for_model(Massnahme).pk
    report = strategie_policies.permission_id(strategie_policies.REPORT_MASSNAHME)
    change = strategie_policies.permission_id(strategie_policies.CHANGE_MASSNAHME)
    massnahmen = Massnahme.objects.filter(strategie=strategie, is_archived=False)
    beteiligt: dict[int, set[int]] = {}
    for massnahme_id, organisation_id in Beteiligung.objects.filter(
        massnahme__in=massnahmen, entfaellt=False
    ).values_list("massnahme_id", "organisation_id"):
        beteiligt.setdefault(massnahme_id, set()).add(organisation_id)

    soll = set()
    for massnahme in massnahmen:
        objekt = str(massnahme.pk)
        federfuehrung = gruppen.get((massnahme.federfuehrung_id, berichterstattung))
        if massnahme.federfuehrung_id and federfuehrung:
            soll.add((federfuehrung, change, ct, objekt))
            if massnahme.ist_gemeinsam:
                soll.add((federfuehrung, report, ct, objekt))
        if massnahme.ist_gemeinsam and not massnahme.federfuehrung_id:
            traeger = gruppen.get((strategie.traeger_id, geschaeftsstelle))
            if traeger:
                soll.add((traeger, report, ct, objekt))
        if not massnahme.ist_gemeinsam:
            for organisation_id in beteiligt.get(massnahme.pk, ()):
                if gruppe := gruppen.get((organisation_id, berichterstattung)):
                    soll.add((gruppe, report, ct, objekt))
    return soll
