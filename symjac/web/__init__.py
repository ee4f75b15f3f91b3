"""The web checker: ``symjac serve`` starts it, ``create_app()`` is its ASGI application.

Needs the ``web`` extra (``pip install "symjac[web]"``: Starlette and uvicorn).
"""

from .app import STATIC, create_app
from .limits import Settings

__all__ = ["create_app", "Settings", "STATIC"]
