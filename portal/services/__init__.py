"""Loaders and demo data of the top layer: they write into every app below."""
