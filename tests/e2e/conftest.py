"""Browser tests: Debian's Chromium driven by Playwright, axe-core injected into each page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True, "locale": "de-DE"}


def axe_verstoesse(page) -> list[str]:
    """Run axe-core (WCAG 2.1 A/AA rules) on the current page; return readable violations."""
    page.add_script_tag(path=str(AXE))
    ergebnis = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
        "'wcag21aa', 'best-practice']}})"
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×, z. B. {v['nodes'][0]['target']})" for v in ergebnis["violations"]
    ]


def load_daten() -> None:
    """Both strategies and the demo, unless a flush by a previous transactional test removed them."""
    from strategie.models import Strategie
    from tests import schnappschuss
    from tests.conftest import RLP

    if not Strategie.objects.filter(slug=RLP).exists():
        schnappschuss.restore()


@pytest.fixture
def e2e_daten(transactional_db):
    load_daten()
