"""The real `itpm` command, run as a subprocess the way an operator runs it.

Each test gets its own data folder. Tests that write to a database use SQLite in that folder
(DATABASE_URL removed), so they never touch a shared PostgreSQL; one test checks PostgreSQL,
in a throw-away database, when DATABASE_URL is set.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

COMMANDS = ("serve", "demo", "migrate", "createuser", "check", "manage")
PASSWORD = "correct horse battery"


def _itpm() -> str:
    beside_python = Path(sys.executable).with_name("itpm")
    found = str(beside_python) if beside_python.exists() else shutil.which("itpm")
    if not found:
        pytest.fail("the itpm command is not installed: pip install -e .")
    return found


def _env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ITPM_DEBUG")}
    env["ITPM_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(
    data_dir: Path, *args: str, stdin: str | None = None, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_itpm(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(data_dir, database_url),
        check=False,
    )


def assert_usage_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("itpm: error: "), result.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose SQLite database is migrated, shared by the tests of this module."""
    data_dir = tmp_path_factory.mktemp("itpm-data")
    result = run(data_dir, "migrate")
    assert result.returncode == 0, result.stderr
    return data_dir


def test_version(tmp_path: Path) -> None:
    from itpm import __version__

    result = run(tmp_path, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"itpm {__version__}")


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = run(tmp_path, "--help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ")}
    assert set(COMMANDS) <= listed, result.stdout


def test_the_cli_module_does_not_import_django() -> None:
    """Commands that need no database, such as --help, must start fast."""
    code = "import sys, itpm.cli; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["serve", "--bogus"],
        ["check", "extra"],
        ["no-such-command"],
        [],
        ["createuser"],
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    assert_usage_error(run(tmp_path, *args))


@pytest.mark.parametrize("port", ["0", "65536", "-1", "http", ""])
def test_bad_port(tmp_path: Path, port: str) -> None:
    result = run(tmp_path, "serve", "--port", port)
    assert_usage_error(result)
    assert "--port" in result.stderr


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_workers_must_be_at_least_one(tmp_path: Path, command: str) -> None:
    result = run(tmp_path, command, "--workers", "0")
    assert_usage_error(result)
    assert "--workers" in result.stderr


def test_check_reports_pending_migrations_on_a_fresh_folder(tmp_path: Path) -> None:
    result = run(tmp_path, "check")
    assert result.returncode == 1
    assert "itpm migrate" in result.stderr


def test_migrate_then_check_is_healthy_and_durable(tmp_path: Path) -> None:
    migrate = run(tmp_path, "migrate")
    assert migrate.returncode == 0, migrate.stderr
    assert len(migrate.stdout.strip().splitlines()) == 1, migrate.stdout
    again = run(tmp_path, "migrate")
    assert "up to date" in again.stdout
    check = run(tmp_path, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "journal_mode: wal (ok)" in check.stdout
    assert "synchronous: 2 = FULL (ok)" in check.stdout
    assert "foreign_keys: 1 (ok)" in check.stdout
    assert "busy_timeout" in check.stdout
    assert "healthy" in check.stdout


def test_createuser_then_duplicate(migrated: Path) -> None:
    created = run(
        migrated,
        "createuser",
        "alice",
        "--email",
        "alice@example.test",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert created.returncode == 0, created.stderr
    duplicate = run(migrated, "createuser", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    assert_usage_error(duplicate)
    assert "already exists" in duplicate.stderr


def test_createuser_admin(migrated: Path) -> None:
    result = run(migrated, "createuser", "root", "--admin", "--password-stdin", stdin=PASSWORD)
    assert result.returncode == 0, result.stderr
    assert "administrator" in result.stdout


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short", "too short"), ("password", "too common"), ("", "no password")],
)
def test_createuser_refuses_a_bad_password(migrated: Path, password: str, problem: str) -> None:
    result = run(migrated, "createuser", "bob", "--password-stdin", stdin=password + "\n")
    assert_usage_error(result)
    assert problem in result.stderr


def test_manage_makemigrations_finds_nothing_missing(tmp_path: Path) -> None:
    result = run(tmp_path, "manage", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_manage_passes_django_errors_through(tmp_path: Path) -> None:
    result = run(tmp_path, "manage", "no_such_command")
    assert result.returncode == 1
    assert "Unknown command" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _first_answer(url: str, server: subprocess.Popen[str], seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"itpm serve exited with {server.returncode}: {server.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"itpm serve did not answer {url} within {seconds} s")


@pytest.fixture
def server(migrated: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = _free_port()
    process = subprocess.Popen(
        [_itpm(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        env=_env(migrated),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}/"
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_serve_answers_http_and_stops_on_ctrl_c(server: tuple[subprocess.Popen[str], str]) -> None:
    process, url = server
    status = _first_answer(url + "login/", process, seconds=60)
    assert status < 500
    assert _first_answer(url + "static/htmx/htmx.min.js", process, seconds=5) == 200
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert f"itpm is running at {url}" in stdout
    assert "Traceback" not in stderr


def _demo_available() -> bool:
    try:
        from itpm.demo import load_demo  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _demo_available(), reason="itpm.demo.load_demo is not written yet")
def test_demo_without_serving_is_idempotent(tmp_path: Path) -> None:
    first = run(tmp_path, "demo", "--no-serve")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "username" in first.stdout and "password" in first.stdout
    second = run(tmp_path, "demo", "--no-serve")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "already" in second.stdout


@pytest.fixture
def throwaway_postgresql() -> Iterator[str]:
    """A fresh database on the PostgreSQL server that DATABASE_URL names, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL does not name a PostgreSQL server")
    import psycopg

    name = f"itpm_cli_{uuid.uuid4().hex[:12]}"
    admin_url = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_check_on_postgresql(tmp_path: Path, throwaway_postgresql: str) -> None:
    assert run(tmp_path, "migrate", database_url=throwaway_postgresql).returncode == 0
    check = run(tmp_path, "check", database_url=throwaway_postgresql)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "reachable: yes, PostgreSQL" in check.stdout
    assert "fsync: on (ok)" in check.stdout
    assert "synchronous_commit: on (ok)" in check.stdout
