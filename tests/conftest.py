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


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """Commands run by the tests keep their result cache out of the work tree."""
    monkeypatch.setenv("XXGK_LINT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "xxgk-lint-cache"))
