"""The garbage collector of a long-running server process: what has survived the first requests is frozen.

CPython's full collection walks every tracked object that is still alive. In a gunicorn worker nearly all of
them live as long as the process: Django's and the portal's modules, settings, URL patterns, compiled templates,
the ORM's caches. Each full collection walked them again, a pause of some 50 ms that fell on about one request in
twenty and set the dashboard's 95th percentile (benchmarks/dashboard.py). After the 1st, 10th, 100th and 1000th
request a process has finished, the objects alive then move to the permanent generation (`gc.freeze`), which
collections skip; what later requests create is collected as before. The price: an object frozen here that later
becomes garbage is never freed, at most what four snapshots of a warmed-up process hold.

Switched by the setting SPEICHER_EINFRIEREN (off in the test suite, whose process is not a server).
"""

from __future__ import annotations

import gc
import itertools

from django.conf import settings

EINFRIEREN_NACH = frozenset({1, 10, 100, 1000})  # after so many finished requests of the process

_anfragen = itertools.count(1)


def nach_anfrage(**_kwargs) -> None:
    """Receiver of `request_finished`: count the request and, at the counts above, freeze what is alive."""
    if settings.SPEICHER_EINFRIEREN and next(_anfragen) in EINFRIEREN_NACH:
        gc.collect()
        gc.freeze()
