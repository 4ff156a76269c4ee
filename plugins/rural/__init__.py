"""农村党建 (rural) plugin."""

from core.hookspecs import hookimpl  # noqa: F401
from plugins.rural.standards import *  # noqa: F401,F403

LABEL = "农村党建"
