"""The prediction API (FastAPI, served by uvicorn): your models and their predictions for other programs.

`create_app` makes the application (``api.app:app`` is one over ``ANYML_DATA_DIR``); the addresses are
in routes.py, the bearer tokens in auth.py, the limits in limits.py, the bodies in schemas.py.
"""
from api.app import create_app
from api.limits import Limits, RateLimiter

__all__ = ["Limits", "RateLimiter", "create_app"]
