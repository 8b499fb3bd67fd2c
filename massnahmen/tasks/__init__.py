from . import erinnerungen, meldebogen  # noqa: F401
