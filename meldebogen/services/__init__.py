"""Writes on Meldeboegen: `export` (download), `upload` (store and queue), `importe` (check and record).

No names are handed on from here: `upload` imports the task, and the task imports `importe`, so a facade that
imported all three would close that loop at import time.
"""
