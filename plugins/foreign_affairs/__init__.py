"""外事办党建 (foreign_affairs) plugin."""

from core.hookspecs import hookimpl  # noqa: F401
from plugins.foreign_affairs.standards import *  # noqa: F401,F403

LABEL = "外事办党建"
