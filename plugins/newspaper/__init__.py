"""报社党建 (newspaper) plugin."""

from core.hookspecs import hookimpl  # noqa: F401
from plugins.newspaper.standards import *  # noqa: F401,F403

LABEL = "报社党建"
