"""Opening a Berichtsrunde derives the Meldepflichten from the Beteiligungen."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from massnahmen.models import Beteiligung, Massnahme
from massnahmen.services import open_berichtsrunde, write_standsummen


def test_geschaeftsstelle_opens_round_with_meldepflichten(rlp, geschaeftsstelle_user):
    massnahmen = list(Massnahme.objects.filter(strategie=rlp, code__in=["I.1", "I.4"]))
    kusel_i1 = Beteiligung.objects.get(
        massnahme__code="I.1", massnahme__strategie=rlp, organisation__schluessel="07336"
    )
    kusel_i1.entfaellt, kusel_i1.begruendung = True, "Analyse bereits 2020 durch Landesprüfung erfolgt."
    kusel_i1.save()
    write_standsummen(massnahme_id=kusel_i1.massnahme_id, organisation_id=kusel_i1.organisation_id)  # as services do

    runde = open_berichtsrunde(
        actor=geschaeftsstelle_user,
        strategie=rlp,
        titel="Runde 1",
        stichtag=dt.date(2025, 6, 30),
        frist=dt.date(2025, 7, 31),
        massnahmen=massnahmen,
    )

    pflichten = runde.meldepflichten
    assert pflichten.filter(massnahme__code="I.1").count() == 23  # 24 Landkreise, Kusel entfällt
    i4 = Massnahme.objects.get(strategie=rlp, code="I.4")
    assert i4.ist_gemeinsam
    assert list(pflichten.filter(massnahme=i4).values_list("organisation__kennung", flat=True)) == [
        (i4.federfuehrung or rlp.traeger).kennung
    ]


def test_berichterstattung_cannot_open_round(rlp, kusel_user):
    with pytest.raises(PermissionDenied):
        open_berichtsrunde(
            actor=kusel_user,
            strategie=rlp,
            titel="x",
            stichtag=dt.date(2025, 6, 30),
            frist=dt.date(2025, 7, 31),
            massnahmen=list(Massnahme.objects.filter(strategie=rlp)[:1]),
        )


def test_frist_before_stichtag_is_refused(rlp, geschaeftsstelle_user):
    with pytest.raises(ValidationError, match="Frist"):
        open_berichtsrunde(
            actor=geschaeftsstelle_user,
            strategie=rlp,
            titel="x",
            stichtag=dt.date(2025, 6, 30),
            frist=dt.date(2025, 6, 1),
            massnahmen=list(Massnahme.objects.filter(strategie=rlp)[:1]),
        )
