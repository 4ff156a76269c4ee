"""企业党建 (enterprise) plugin."""

from core.hookspecs import hookimpl  # noqa: F401
from plugins.enterprise.standards import *  # noqa: F401,F403

LABEL = "企业党建"
