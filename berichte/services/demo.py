"""The demo Bericht of the embedded mode: a released ALK-Jahresbericht for the previous year, labelled as demo on
its title page, so a newcomer can download one right after `make run`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from berichte.models import Bericht
from berichte.services import berichte as services
from berichte.services.rendern import render_bericht_pdf
from strategie.models import Strategie

RLP = "rlp-digitalisierungsstrategie"
VORWORT = (
    "**Demo:** Dieser Jahresbericht wurde aus den erfundenen Demo-Meldungen des Portals erzeugt. "
    "Er zeigt, wie der Bericht des Lenkungsausschusses an die Allgemeine Landrätekonferenz (ALK) aussieht."
)
EINSCHAETZUNG = "Demo: Die Soll-Ist-Analysen kommen voran; die Zertifizierung kritischer Systeme ist gefährdet."
FAZIT = "Demo: Die gemeinsame Umsetzung trägt. Schwerpunkt des kommenden Jahres ist die Informationssicherheit."


def load_demo_bericht(*, heute: dt.date) -> Bericht | None:
    """Create, render and release the demo Bericht unless the year already has a Bericht; idempotent."""
    strategie = Strategie.objects.filter(slug=RLP).first()
    if strategie is None:
        return None
    jahr = heute.year - 1
    vorhanden = Bericht.objects.filter(strategie=strategie, art=Bericht.Art.ALK_JAHRESBERICHT, berichtsjahr=jahr)
    if vorhanden.exists():
        return vorhanden.filter(ist_demo=True).order_by("-version").first()  # never mixed into a real one
    User = get_user_model()
    geschaeftsstelle = User.objects.get(username="demo-geschaeftsstelle")
    ausschuss = User.objects.get(username="demo-lenkungsausschuss")
    bericht = services.create_bericht(
        actor=geschaeftsstelle,
        strategie=strategie,
        art=Bericht.Art.ALK_JAHRESBERICHT,
        berichtsjahr=jahr,
        ist_demo=True,
    )
    for feld, text in (("vorwort", VORWORT), ("einschaetzung-I", EINSCHAETZUNG), ("fazit", FAZIT)):
        services.save_bericht_text(actor=geschaeftsstelle, bericht=bericht, feld=feld, text=text, version=0)
    services.request_bericht_pdf(actor=geschaeftsstelle, bericht=bericht, enqueue=False)
    render_bericht_pdf(bericht_id=bericht.pk)
    bericht.refresh_from_db()
    return services.release_bericht(actor=ausschuss, bericht=bericht)
