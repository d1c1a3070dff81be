"""Shared fixtures. The real spaCy model is loaded once per test session."""

from __future__ import annotations

import importlib.util
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from rashomon.model import Document, OffsetMap, document_id


# Fixtures that load the real spaCy model: a test using one is slow, whether or not its module
# says so, so that `pytest -m "not slow"` stays quick.
_MODEL_FIXTURES = frozenset({"nlp", "parse_document"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres", action="store_true",
        help="also run the store's tests against a real PostgreSQL server, started for the "
        "session from Debian's postgresql package (initdb, pg_ctl)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from rashomon.nlp import load_nlp

    return load_nlp()


@pytest.fixture
def make_document() -> Callable[..., Document]:
    """Build a Document straight from clean text, for stages that come after cleaning."""

    def make(text: str, *, source: str = "test.txt", outlet: str | None = None,
             published: str | None = None, title: str | None = None) -> Document:
        key = source
        return Document(
            id=document_id(key, text), source=source, source_key=key, text=text, raw_text=text,
            title=title, outlet=outlet, published=published,
            offsets=OffsetMap(((0, 0, len(text)),)),
        )

    return make


@pytest.fixture
def parse_document(nlp, make_document):  # type: ignore[no-untyped-def]
    """Clean text -> (Document, spaCy Doc) through the real pipeline."""
    from rashomon.nlp import parse

    def run(text: str, **kwargs):  # type: ignore[no-untyped-def]
        document = make_document(text, **kwargs)
        return next(parse([document]))

    return run


BENCH = Path(__file__).resolve().parents[1] / "bench"


def load_harness(name: str) -> ModuleType:
    """A bench harness (bench/NAME.py) as a module, importable as `python bench/NAME.py` runs it:
    with bench/ on the path for its `gate` import, and registered under its name (dataclasses
    look their module up by name)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def encodable(value: str | None) -> bool:
    """Whether a string can be written as UTF-8 (no lone surrogates): what every reader hands on."""
    try:
        (value or "").encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- a real PostgreSQL server, for `pytest --postgres` ----------------------------------------


# Columns a migration added to rows the codec writes, by the migration that added them: a test
# that builds a store as an older release left it writes rows without them.
_LATER_COLUMNS: dict[int, dict[str, tuple[str, ...]]] = {
    8: {"document_params": ("encoding",), "attribution_params": ("speaker_reason",)},
}


def schema_before(monkeypatch: pytest.MonkeyPatch, version: int) -> None:
    """Stores opened from now on stop at schema `version` and write rows that fit it
    (`monkeypatch.undo()` brings back today's schema)."""
    from rashomon.store import codec, schema

    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:version])
    for added_in, builders in _LATER_COLUMNS.items():
        if version >= added_in:
            continue
        for name, columns in builders.items():
            monkeypatch.setattr(codec, name, _without(getattr(codec, name), columns))


def _without(build: Callable[..., dict[str, object]],
             columns: tuple[str, ...]) -> Callable[..., dict[str, object]]:
    def older(*args: object, **kwargs: object) -> dict[str, object]:
        return {c: v for c, v in build(*args, **kwargs).items() if c not in columns}
    return older


def free_port() -> int:
    """A TCP port nothing listens on now (the kernel's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    """A PostgreSQL server of this test session, on 127.0.0.1, password authentication."""

    port: int
    user: str
    password: str
    _databases: Iterator[int]

    def url(self, database: str, *, password: str | None = None) -> str:
        return (f"postgresql://{self.user}:{password or self.password}@127.0.0.1:{self.port}"
                f"/{database}")

    def new_database(self) -> str:
        """The URL of a new, empty database: each test gets its own store."""
        import psycopg

        name = f"test_{next(self._databases)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return self.url(name)


def _postgres_bin() -> Path | None:
    """Debian's PostgreSQL programs (the newest version installed), if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return found[-1].parent if found else None


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PostgresServer]:
    """A PostgreSQL server in a temporary directory on a free port, stopped at the end.

    The server refuses to run as root, and the tests run as root in CI: then it runs as the
    `postgres` user (Debian's package makes it), else `nobody`, owning the directory.
    """
    if not request.config.getoption("--postgres"):
        pytest.skip("a PostgreSQL test: run pytest with --postgres")
    programs = _postgres_bin()
    if programs is None:
        pytest.fail("--postgres: no pg_ctl under /usr/lib/postgresql/*/bin; "
                    "apt-get install postgresql")
    as_user: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="rashomon-pg-"))
    if os.geteuid() == 0:
        user = "postgres" if _has_user("postgres") else "nobody"
        shutil.chown(base, user)
        as_user = ["runuser", "-u", user, "--"]
    password = "rashomon-test"
    (base / "pw").write_text(password)
    if as_user:
        shutil.chown(base / "pw", as_user[2])
    data = base / "data"
    subprocess.run(
        [*as_user, str(programs / "initdb"), "-D", str(data), "-U", "rashomon",
         f"--pwfile={base / 'pw'}", "--auth-local=trust", "--auth-host=scram-sha-256",
         "-E", "UTF8", "--locale=C", "--no-sync"],
        check=True, capture_output=True,
    )
    port = free_port()
    # durability is not what is tested: no fsync, and a quick start and stop
    options = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
               " -c synchronous_commit=off -c full_page_writes=off")
    subprocess.run(
        [*as_user, str(programs / "pg_ctl"), "-D", str(data), "-l", str(base / "log"),
         "-o", options, "-w", "start"],
        check=True, capture_output=True,
    )
    try:
        yield PostgresServer(port, "rashomon", password, itertools.count(1))
    finally:
        subprocess.run(
            [*as_user, str(programs / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty PostgreSQL database (skipped without --postgres)."""
    return postgres_server.new_database()
