from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
INPUTS = Path(__file__).resolve().parent / "fixtures" / "inputs"


@pytest.fixture(scope="session")
def seed_build():
    """The seed corpus built once for every test that inspects the seed graph."""
    from kg.build import build

    return build([SEEDS])
