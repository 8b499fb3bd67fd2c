from . import erinnerungen  # noqa: F401
