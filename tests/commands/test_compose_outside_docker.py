"""docker/compose.yaml run without Docker: each motcua service's command, environment and
volumes, read from the compose file and the Dockerfile, run with this checkout's `motcua`
against the local PostgreSQL and Redis.

No Docker engine runs here (tests/commands/test_deploy_files.py checks the files against the
code); this runs them. The operator's `.env` is written as docker/env.example asks (copied,
then edited), and every `${VAR}` of the compose file is resolved from it, so a setting that
does not reach a service from the env file fails here. What cannot hold outside Docker is
replaced in `outside_docker`, each with its reason.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from dotenv import dotenv_values
from sqlalchemy.engine import make_url

from tests.conftest import REDIS_URL, REPO, fresh_postgres_database
from tests.docker_files import (
    DOCKER,
    MOTCUA_SERVICES,
    SERVICES,
    argv,
    dockerfile_instructions,
    environment,
    exec_form,
    image_environment,
    interpolate,
)
from tests.processes import START_TIMEOUT, Server, clean_env, free_port, spawn, stop

pytestmark = [pytest.mark.services, pytest.mark.slow]  # migrate, ingest, 2 replicas, a worker

# The operator's edits to a copy of docker/env.example (README: "cp docker/env.example .env").
EDITS = {
    "PUBLIC_DOMAIN": "hoidap.example.test",
    "POSTGRES_PASSWORD": "mat-khau-csdl-thu-nghiem",
    "MOTCUA_HOTLINE": "1900 5555 19",
    "MOTCUA_PORTAL_URL": "https://dichvucong.example.test",
}
# Any MOTCUA_* setting may be added to the file (env.example says so).
ADDED = {"MOTCUA_ADMIN_API_KEY": "khoa-compose-ngoai-docker"}
KEY = {"X-API-Key": ADDED["MOTCUA_ADMIN_API_KEY"]}
CARD_QUESTION = "xin ban sao bang tot nghiep tu so goc o dau?"
CARD = "tthc-ban-sao-van-bang"
OFF_TOPIC = "le phi dang ky ket hon la bao nhieu?"
UPLOADED_QUESTION = "hoi thi giao vien day gioi cap tinh dien ra khi nao?"
PLAN = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 77/KH-SGDĐT
KẾ HOẠCH
Hội thi giáo viên dạy giỏi cấp tỉnh năm 2026
I. THỜI GIAN
Hội thi giáo viên dạy giỏi cấp tỉnh diễn ra từ ngày 10 đến ngày 14 tháng 11 năm 2026.
"""


def operator_env_file(folder: Path) -> Path:
    text = (DOCKER / "env.example").read_text(encoding="utf-8")
    for name, value in EDITS.items():
        text, found = re.subn(rf"^#?\s*{name}=.*$", f"{name}={value}", text, flags=re.M)
        assert found == 1, f"docker/env.example has no line for {name}"
    text += "".join(f"{name}={value}\n" for name, value in ADDED.items())
    path = folder / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def variables(env_file: Path) -> dict[str, str]:
    return {k: v for k, v in dotenv_values(env_file).items() if v is not None}


def container_environment(name: str, env_file: Path) -> dict[str, str]:
    """What a container of service `name` sees: the image's ENV, then the service's env_file,
    then its `environment` with `${VAR}` resolved from `--env-file .env` (compose's order)."""
    service = SERVICES[name]
    env = image_environment()
    for entry in service.get("env_file") or []:
        path = entry["path"] if isinstance(entry, dict) else entry
        # Relative to docker/: the repository root's .env, the file `--env-file .env` names.
        assert (DOCKER / path).resolve() == REPO / ".env", path
        env.update(variables(env_file))
    read = variables(env_file)
    env.update({k: interpolate(v, read) for k, v in environment(service).items()})
    return env


@dataclass
class Outside:
    """Where the compose file's Docker-only values point to on this machine."""

    tmp: Path
    database_url: str
    redis_namespace: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:10]}")

    def volume(self, name: str) -> Path:
        folder = self.tmp / "volumes" / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def environment(self, name: str, env: dict[str, str], env_file: Path) -> dict[str, str]:
        env = dict(env)
        # Named volumes: one temporary folder per volume, shared by every service mounting it
        # (as the api replicas and the worker share `index` and `data`).
        for mount in SERVICES[name].get("volumes") or []:
            source, target = mount.split(":")[:2]
            for key, value in env.items():
                if value == target or value.startswith(target + "/"):
                    env[key] = str(self.volume(source)) + value[len(target) :]
        # `postgres` is the compose service's host name. The local server has its own user and
        # trust authentication, and other tests share it: a fresh database instead, reached
        # with the driver the compose URL names, once that URL is shown to match the postgres
        # service's own user, password and database.
        url = make_url(env["MOTCUA_DATABASE_URL"])
        postgres = {
            k: interpolate(v, variables(env_file))
            for k, v in environment(SERVICES["postgres"]).items()
        }
        assert url.host == "postgres" and url.port == 5432
        assert (url.username, url.password, url.database) == (
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
            postgres["POSTGRES_DB"],
        )
        assert url.password == EDITS["POSTGRES_PASSWORD"]  # from the env file, not a default
        env["MOTCUA_DATABASE_URL"] = (
            make_url(self.database_url)
            .set(drivername=url.drivername)
            .render_as_string(hide_password=False)
        )
        # `redis` is likewise a service name; the local Redis is shared with other test runs,
        # so this deployment's keys get a namespace of their own.
        assert make_url(env["MOTCUA_REDIS_URL"]).host == "redis"
        env["MOTCUA_REDIS_URL"] = REDIS_URL
        env["MOTCUA_REDIS_NAMESPACE"] = self.redis_namespace
        return env

    def arguments(self, words: list[str], port: int | None = None) -> list[str]:
        """The service's command, for this checkout's `motcua`. In Docker each replica has its
        own network namespace and listens on 0.0.0.0:8000; here they share the host's, so each
        gets a free loopback port."""
        assert words[0] == "motcua"
        words = words[1:]
        for option, value in (("--host", "127.0.0.1"), ("--port", str(port))):
            if option in words:
                assert port is not None
                words[words.index(option) + 1] = value
        return words


def readme_ingest() -> tuple[str, list[str]]:
    """The README's one-line ingest through compose: (service, command)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(
        line
        for line in readme.splitlines()
        if line.startswith("docker compose") and " run " in line and "motcua ingest" in line
    )
    words = shlex.split(line)
    rest = words[words.index("run") + 1 :]
    while rest[0].startswith("-"):
        rest = rest[2:] if rest[0] in ("-v", "--volume", "-e", "--env") else rest[1:]
    return rest[0], rest[1:]


@dataclass
class Deployment:
    tmp: Path
    replicas: list[Server]
    worker: subprocess.Popen

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in self.tmp.glob("*.log"))


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("compose")
    env_file = operator_env_file(tmp)
    home = tmp / "home"  # the image's last WORKDIR, /home/motcua
    home.mkdir()
    assert set(MOTCUA_SERVICES) >= {"migrate", "api", "worker"}
    with fresh_postgres_database() as database_url:
        outside = Outside(tmp, database_url)

        def start(
            name: str, words: list[str], log: str, port: int | None = None
        ) -> subprocess.Popen:
            env = outside.environment(name, container_environment(name, env_file), env_file)
            return spawn(outside.arguments(words, port), clean_env(tmp, **env), home, tmp / log)

        processes: list[subprocess.Popen] = []
        try:
            # `up`: migrate runs to completion before the api and the worker start.
            migrate = start("migrate", argv(SERVICES["migrate"]["command"]), "migrate.log")
            assert migrate.wait(timeout=120) == 0, (tmp / "migrate.log").read_text()
            replicas = []
            for n in range(SERVICES["api"]["deploy"]["replicas"]):
                port = free_port()
                proc = start("api", argv(SERVICES["api"]["command"]), f"api-{n}.log", port)
                processes.append(proc)
                replicas.append(Server(proc, f"http://127.0.0.1:{port}", tmp / f"api-{n}.log"))
            worker = start("worker", argv(SERVICES["worker"]["command"]), "worker.log")
            processes.append(worker)
            for replica in replicas:
                replica.wait_ready("/healthz")  # up before any index, as after `up`
            # Then the README's `docker compose … run --rm worker motcua ingest --builtin`.
            service, words = readme_ingest()
            assert words[:2] == ["motcua", "ingest"] and "--builtin" in words
            ingest = start(service, words, "ingest.log")
            assert ingest.wait(timeout=300) == 0, (tmp / "ingest.log").read_text()
            deployment = Deployment(tmp, replicas, worker)
            for replica in replicas:
                replica.wait_ready("/readyz", timeout=START_TIMEOUT)  # the volume's new index
            yield deployment
        finally:
            for proc in processes:
                stop(proc)


def test_replicas_are_ready_and_pass_the_compose_healthcheck(deployment: Deployment) -> None:
    check = argv(SERVICES["api"]["healthcheck"]["test"])
    assert check[:2] == ["CMD", "python"] and "127.0.0.1:8000" in check[-1]
    image_check = next(a for kw, a in dockerfile_instructions() if kw == "HEALTHCHECK")
    assert exec_form(image_check.split(" CMD ", 1)[1]) == check[1:]
    for replica in deployment.replicas:
        ready = replica.get("/readyz")
        assert ready.status_code == 200, ready.text
        port = replica.url.rsplit(":", 1)[1]
        code = check[-1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        done = subprocess.run([sys.executable, *check[2:-1], code], timeout=30)
        assert done.returncode == 0


def test_each_replica_answers_from_the_built_in_cards(deployment: Deployment) -> None:
    for replica in deployment.replicas:
        answer = replica.post("/v1/ask", json={"question": CARD_QUESTION}).json()
        assert answer["refused"] is False, answer
        assert answer["citations"][0]["doc_id"] == CARD


def test_settings_from_the_env_file_reach_the_services(deployment: Deployment) -> None:
    first = deployment.replicas[0]
    refused = first.post("/v1/ask", json={"question": OFF_TOPIC}).json()
    assert refused["refused"] is True
    assert EDITS["MOTCUA_HOTLINE"] in refused["answer"]
    assert EDITS["MOTCUA_PORTAL_URL"] in refused["answer"]
    assert first.get("/v1/documents", headers=KEY).status_code == 200
    assert first.get("/v1/documents", headers={"X-API-Key": "not-the-key"}).status_code in (
        401,
        403,
    )
    # MOTCUA_PUBLIC_URL is https://${PUBLIC_DOMAIN}: the start-up line gives its addresses.
    records = [json.loads(line) for line in first.log.read_text().splitlines() if line[:1] == "{"]
    assert any(f"https://{EDITS['PUBLIC_DOMAIN']}/console" in r["message"] for r in records), (
        deployment.logs()
    )


def test_the_worker_indexes_an_upload_into_the_shared_volume(deployment: Deployment) -> None:
    first = deployment.replicas[0]
    response = first.post(
        "/v1/documents", headers=KEY, files=[("files", ("hoi-thi.txt", PLAN.encode("utf-8")))]
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["job"]["id"]
    deadline = time.monotonic() + 240
    while (job := first.get(f"/v1/jobs/{job_id}", headers=KEY).json())["status"] not in (
        "done",
        "failed",
    ):
        assert deployment.worker.poll() is None, deployment.logs()
        assert time.monotonic() < deadline, f"job stuck: {job}\n{deployment.logs()}"
        time.sleep(0.3)
    assert job["status"] == "done", job
    for replica in deployment.replicas:
        deadline = time.monotonic() + 60
        while replica.get("/readyz").json().get("index_version") != job["version_id"]:
            assert time.monotonic() < deadline, deployment.logs()
            time.sleep(0.2)
        answer = replica.post("/v1/ask", json={"question": UPLOADED_QUESTION}).json()
        assert answer["citations"][0]["doc_id"] == "hoi-thi", answer
