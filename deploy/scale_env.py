"""The scaled-out deployment of deploy/README.md on one machine, on loopback: Redis (lock store), PostgreSQL
(tracker store), one action server and several `rasa run` servers configured by deploy/endpoints.scaled.yml,
sharing the WeChat store in Redis (WECHAT_REDIS_URL, db 2).

    .venv/bin/python -m deploy.scale_env [--instances 2]    # from the project folder; runs until Ctrl+C

The scale-out test (tests/deploy) uses `scaled_stack()`. Redis and PostgreSQL come from Debian's packages
`redis-server` and `postgresql`, installed with apt-get when missing (as root). Each run has its own temporary
folder, free ports and random passwords; everything is stopped and the folder removed at the end.
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import psycopg2
import redis

from bot import paths
from bot.batch import MODEL, free_port
from bot.processes import NotUp, stop_processes, wait_until_up

ENDPOINTS = paths.ROOT / "deploy" / "endpoints.scaled.yml"
CREDENTIALS = paths.ROOT / "credentials.yml"
PG_DB = PG_USER = "yibao"
# Rasa's SQL pool per process (its defaults are 50 + 100); Rasa uses one connection at a time per process.
POOL_ENV = {"SQL_POOL_SIZE": "2", "SQL_MAX_OVERFLOW": "3"}
PG_MAX_CONNECTIONS = 30
WECHAT_DB = 2  # the Redis database of the WeChat store (the lock store uses 1)


class StackError(RuntimeError):
    """A part of the stack cannot be installed or started."""


@dataclass(frozen=True)
class Stack:
    """The running stack: the Rasa servers' addresses and the variables their endpoints file was given."""

    folder: Path
    env: dict[str, str]
    rasa_urls: list[str]
    api_token: str

    def rasa_logs(self) -> list[Path]:
        return [self.folder / f"rasa-{index}.log" for index in range(len(self.rasa_urls))]

    def postgres(self) -> psycopg2.extensions.connection:
        """A connection to the tracker store's database, as the Rasa servers log in."""
        env = self.env
        return psycopg2.connect(host=env["YIBAO_PG_HOST"], port=int(env["YIBAO_PG_PORT"]), dbname=env["YIBAO_PG_DB"],
                                user=env["YIBAO_PG_USER"], password=env["YIBAO_PG_PASSWORD"])

    def redis(self) -> redis.Redis:
        env = self.env
        return redis.Redis(host=env["YIBAO_REDIS_HOST"], port=int(env["YIBAO_REDIS_PORT"]),
                           password=env["YIBAO_REDIS_PASSWORD"], db=1)

    def redis_wechat(self) -> redis.Redis:
        """The WeChat store's database."""
        return redis.Redis.from_url(self.env["WECHAT_REDIS_URL"])


def postgres_bin() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb, if any."""
    found = [path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")]
    return max(found, key=lambda path: int(path.parent.name), default=None)


def ensure_packages() -> None:
    """Install Debian's redis-server and postgresql when missing (needs root)."""
    missing = ([] if shutil.which("redis-server") else ["redis-server"]) + ([] if postgres_bin() else ["postgresql"])
    if not missing:
        return
    if os.geteuid() != 0:
        raise StackError(f"missing Debian packages; as root run: apt-get install -y {' '.join(missing)}")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", *missing]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True)
        subprocess.run(install, env=env, check=True)


def as_postgres(argv: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def start_process(name: str, argv: list[str], env: dict[str, str], folder: Path,
                  cleanup: ExitStack) -> subprocess.Popen:
    """Start a child logging to <folder>/<name>.log; it is stopped when `cleanup` closes."""
    log = (folder / f"{name}.log").open("wb")
    cleanup.callback(log.close)
    process = subprocess.Popen(argv, cwd=paths.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    cleanup.callback(stop_processes, [process])
    return process


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Wait until `url` answers; fail with the end of `log` when the process ends or `timeout` passes."""
    try:
        wait_until_up(url, process, timeout, poll=0.5)
    except NotUp as error:
        raise StackError(f"{error}:\n{log.read_text(errors='replace')[-3000:]}") from error


def start_redis(folder: Path, cleanup: ExitStack) -> dict[str, str]:
    """redis-server on a free loopback port, with a password and no persistence."""
    port, password = free_port(), secrets.token_hex(16)
    config = folder / "redis.conf"
    config.touch(mode=0o600)
    config.write_text(f"bind 127.0.0.1\nport {port}\nrequirepass {password}\ndir {folder}\nsave \"\"\n"
                      "appendonly no\n", encoding="utf-8")
    process = start_process("redis", ["redis-server", str(config)], dict(os.environ), folder, cleanup)
    client = redis.Redis(host="127.0.0.1", port=port, password=password)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise StackError(f"redis-server did not start:\n{(folder / 'redis.log').read_text()[-2000:]}")
            time.sleep(0.2)
    return {"YIBAO_REDIS_HOST": "127.0.0.1", "YIBAO_REDIS_PORT": str(port), "YIBAO_REDIS_PASSWORD": password,
            "WECHAT_REDIS_URL": f"redis://:{password}@127.0.0.1:{port}/{WECHAT_DB}"}


def start_postgres(folder: Path, cleanup: ExitStack) -> dict[str, str]:
    """A PostgreSQL cluster of its own (initdb, pg_ctl) on a free loopback port, with the `yibao` role and database."""
    bin_dir = postgres_bin()
    pg_dir, port = folder / "postgres", free_port()
    pg_dir.mkdir(mode=0o700)
    superuser_password, password = secrets.token_hex(16), secrets.token_hex(16)
    password_file = pg_dir / "superuser-password"
    password_file.write_text(superuser_password, encoding="utf-8")
    if os.geteuid() == 0:
        for path in (pg_dir, password_file):
            shutil.chown(path, "postgres", "postgres")
    data, log = pg_dir / "data", pg_dir / "postgres.log"
    subprocess.run(as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-E", "UTF8",
                                "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256",
                                f"--pwfile={password_file}"]),
                   cwd=pg_dir, check=True, stdout=subprocess.DEVNULL)
    settings = (f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{pg_dir}'\n"
                f"max_connections = {PG_MAX_CONNECTIONS}\nfsync = off\n")  # a throwaway cluster: no fsync
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(settings)
    pg_ctl = str(bin_dir / "pg_ctl")
    cleanup.callback(subprocess.run, as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                     cwd=pg_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    started = subprocess.run(as_postgres([pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60", "start"]),
                             cwd=pg_dir, stdout=subprocess.DEVNULL, check=False)
    if started.returncode != 0:
        raise StackError(f"PostgreSQL did not start:\n{log.read_text(errors='replace')[-2000:]}")
    admin = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", password=superuser_password,
                             dbname="postgres")
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {PG_USER} LOGIN PASSWORD %s", (password,))
            cursor.execute(f"CREATE DATABASE {PG_DB} OWNER {PG_USER}")
    finally:
        admin.close()
    return {"YIBAO_PG_HOST": "127.0.0.1", "YIBAO_PG_PORT": str(port), "YIBAO_PG_DB": PG_DB,
            "YIBAO_PG_USER": PG_USER, "YIBAO_PG_PASSWORD": password}


@contextmanager
def scaled_stack(instances: int = 2, timeout: float = 240) -> Iterator[Stack]:
    """Start Redis, PostgreSQL, an action server and `instances` Rasa servers; stop them all on leaving."""
    if not MODEL.exists():
        raise StackError(f"no trained model at {MODEL}: run `make setup`")
    ensure_packages()
    folder = Path(tempfile.mkdtemp(prefix="yibao-scale-"))
    folder.chmod(0o711)  # the postgres user reaches its own folder inside
    with ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        env = start_redis(folder, cleanup) | start_postgres(folder, cleanup)
        action_port = free_port()
        actions = start_process("actions", [sys.executable, "-m", "rasa_sdk", "--actions", "actions",
                                            "--port", str(action_port)],
                                os.environ | {"SANIC_HOST": "127.0.0.1"}, folder, cleanup)
        action_base = f"http://127.0.0.1:{action_port}"
        env["YIBAO_ACTION_URL"] = f"{action_base}/webhook"
        token = secrets.token_hex(16)
        rasa = str(Path(sys.executable).with_name("rasa"))
        servers: list[tuple[str, subprocess.Popen]] = []
        for index in range(instances):
            # Each server its own state folder, as on separate hosts; the WeChat store is the shared Redis.
            rasa_env = os.environ | env | POOL_ENV | {"YIBAO_STATE_DIR": str(folder / f"state-{index}"),
                                                      "RASA_TELEMETRY_ENABLED": "false"}
            port = free_port()
            argv = [rasa, "run", "--model", str(MODEL), "--interface", "127.0.0.1", "--port", str(port),
                    "--endpoints", str(ENDPOINTS), "--credentials", str(CREDENTIALS),
                    "--enable-api", "--auth-token", token]
            process = start_process(f"rasa-{index}", argv, rasa_env, folder, cleanup)
            servers.append((f"http://127.0.0.1:{port}", process))
        wait_for(f"{action_base}/health", actions, folder / "actions.log", 60)
        for index, (url, process) in enumerate(servers):
            wait_for(f"{url}/", process, folder / f"rasa-{index}.log", timeout)
        yield Stack(folder, env, [url for url, _ in servers], token)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.scale_env", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=int, default=2, help="Rasa servers to start (default 2)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # so that the stack is stopped on SIGTERM too
    try:
        with scaled_stack(args.instances) as stack:
            lines = [f"  rasa  {url}/webhooks/rest/webhook" for url in stack.rasa_urls]
            lines += [f"  API token {stack.api_token}, logs in {stack.folder}"]
            lines += [f"  {name}={value}" for name, value in stack.env.items()]
            print("scaled-out stack running (Ctrl+C stops it):", *lines, sep="\n", flush=True)
            while True:
                signal.pause()
    except KeyboardInterrupt:
        return 0
    except StackError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
