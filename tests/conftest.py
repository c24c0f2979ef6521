import pathlib

import pytest

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
PINGTAN = sorted((FIXTURES / "real").glob("pingtan-zhsyq-*.txt"))


def seed(prefix: str) -> pathlib.Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


@pytest.fixture
def fixtures_dir() -> pathlib.Path:
    return FIXTURES
