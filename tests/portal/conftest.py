import shutil

import pytest

from portal.services.datenimport import DATEN_VERZEICHNIS


@pytest.fixture
def datenkopie(daten, tmp_path):
    """A copy of strategie/daten/ to edit; the database holds the loaded originals."""
    ziel = tmp_path / "daten"
    shutil.copytree(DATEN_VERZEICHNIS, ziel)
    return ziel
