"""Scenario 1, roster search at scale (filled in once the IRIS app is on main)."""

from . import data
from .main import NotAvailable


def run(ctx) -> list[dict]:
    data._model("iris", "Recruiter")
    raise NotAvailable("the roster search is not on main yet")
