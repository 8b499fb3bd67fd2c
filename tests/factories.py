"""factory_boy factories: one minimal factory per model the tests build rows of; tests pass what they rely on.

Rights come from production services (see conftest's role fixtures), never from these factories.
"""

from __future__ import annotations

import datetime as dt

import factory

from massnahmen.models import Beteiligung, Massnahme, Meldungsentwurf, Status, Statusmeldung
from massnahmen.services.standsummen import write_standsummen
from massnahmen.services.verlauf import write_meldungsverlauf


class MassnahmeFactory(factory.django.DjangoModelFactory):
    """A Maßnahme je Organisation in the given Handlungsfeld (pass `handlungsfeld`)."""

    class Meta:
        model = Massnahme

    strategie = factory.SelfAttribute("handlungsfeld.strategie")
    code = factory.Sequence(lambda n: f"Z.{n + 1}")
    ordnung = factory.Sequence(lambda n: 900 + n)
    titel = factory.Faker("sentence", nb_words=5, locale="de_DE")
    umsetzungsart = Massnahme.Umsetzungsart.JE_ORGANISATION


class BeteiligungFactory(factory.django.DjangoModelFactory):
    """A Beteiligung with the Standsummen the services would write for it."""

    class Meta:
        model = Beteiligung

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            write_standsummen(massnahme_id=instance.massnahme_id, organisation_id=instance.organisation_id)

    massnahme = factory.SubFactory(MassnahmeFactory)


class StatusmeldungFactory(factory.django.DjangoModelFactory):
    """A past Statusmeldung for history; the Umsetzungsstand is the service's business, not the factory's. The
    Meldungsverlauf is rewritten as the loader does when it writes history, so past Stichtage read it."""

    class Meta:
        model = Statusmeldung

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            write_meldungsverlauf(massnahme_id=instance.massnahme_id, organisation_id=instance.organisation_id)

    stichtag = factory.Sequence(lambda n: dt.date(2020, 1, 1) + dt.timedelta(days=91 * n))
    status = Status.IN_UMSETZUNG
    fortschritt = factory.Sequence(lambda n: min(n, 99))
    text = factory.Faker("sentence", locale="de_DE")


class MeldungsentwurfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meldungsentwurf

    text = factory.Faker("sentence", locale="de_DE")
