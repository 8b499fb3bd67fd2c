"""System checks of the portal's own safety assumptions (run by `manage.py check`, `migrate` and `runserver`)."""

from __future__ import annotations

from django.core.checks import Error, register


@register()
def check_openpyxl_uses_defusedxml(app_configs=None, **kwargs) -> list[Error]:
    """openpyxl parses an uploaded XLSX with defusedxml only when the package is installed and OPENPYXL_DEFUSEDXML is
    not "False"; otherwise XML safety rests on the standard parser's defaults."""
    import openpyxl
    from openpyxl.xml import functions

    if openpyxl.DEFUSEDXML and functions.iterparse.__module__.startswith("defusedxml"):
        return []
    return [
        Error(
            "openpyxl liest Excel-Dateien nicht über defusedxml.",
            hint="Installieren Sie defusedxml (pyproject.toml) und setzen Sie OPENPYXL_DEFUSEDXML nicht auf False.",
            id="strategie.E001",
        )
    ]
