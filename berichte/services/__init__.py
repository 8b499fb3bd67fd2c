"""Writes on Berichte: the workflow (`berichte.services.berichte`) and rendering (`berichte.services.rendern`)."""
