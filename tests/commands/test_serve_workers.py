"""`motcua serve --workers N`, run as a user (and the Docker image) runs it: the installed
command in a subprocess, over loopback HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from motcua.commands.serve import settings_env
from tests.conftest import make_settings
from tests.processes import MOTCUA, START_TIMEOUT, Server, clean_env, free_port, stop

pytestmark = pytest.mark.slow  # starts `motcua serve` worker processes


def parent_pid(pid: int) -> int:
    # /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ")".
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def worker_env(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(p.decode().split("=", 1) for p in pairs if b"=" in p)


@pytest.fixture(scope="module")
def builtin_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("serve")
    index_dir = tmp / "index"
    done = subprocess.run(
        [MOTCUA, "ingest", "--builtin", "--index-dir", str(index_dir)],
        cwd=tmp,
        env=clean_env(tmp),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return index_dir


def start(index_dir: Path, workers: int) -> Iterator[Server]:
    tmp = index_dir.parent
    port = free_port()
    log = tmp / f"serve-{workers}.log"
    env = clean_env(tmp, MOTCUA_LOG_FORMAT="json")
    env.pop("OMP_NUM_THREADS", None)  # serve decides it per worker
    with log.open("w") as out:
        proc = subprocess.Popen(
            [MOTCUA, "serve", "--workers", str(workers), "--host", "127.0.0.1",
             "--port", str(port), "--index-dir", str(index_dir)],
            cwd=tmp,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        server.wait_ready()  # a worker has loaded the app
        yield server
    finally:
        stop(proc)


@pytest.fixture
def two_workers(builtin_index: Path) -> Iterator[Server]:
    yield from start(builtin_index, workers=2)


@pytest.fixture
def one_process(builtin_index: Path) -> Iterator[Server]:
    yield from start(builtin_index, workers=1)


def test_two_workers_answer_and_stop_cleanly(two_workers: Server) -> None:
    server = two_workers
    pids: set[int] = set()
    deadline = time.monotonic() + START_TIMEOUT
    with ThreadPoolExecutor(max_workers=8) as pool:
        # The second worker may still be loading; until it accepts, the first takes everything.
        while len(pids) < 2 and time.monotonic() < deadline:
            for response in pool.map(lambda _: server.get("/healthz"), range(16)):
                assert response.status_code == 200
                pids.add(response.json()["pid"])
            time.sleep(0.2)
    assert len(pids) == 2, f"only saw worker pids {pids}"
    assert server.proc.pid not in pids
    assert {parent_pid(pid) for pid in pids} == {server.proc.pid}, "workers of this serve"
    # The embedder's threads are shared out: two workers together use one thread per core.
    threads = str(max(1, (os.cpu_count() or 1) // 2))
    assert {worker_env(pid).get("OMP_NUM_THREADS") for pid in pids} == {threads}

    for i in range(4):
        response = server.post(
            "/v1/ask",
            json={"question": "chuyen truong THCS can giay to gi"},
            headers={"X-Request-ID": f"ask-{i}"},
        )
        assert response.status_code == 200
        assert response.headers["x-request-id"] == f"ask-{i}"
        assert response.json()["citations"][0]["doc_id"] == "tthc-chuyen-truong-thcs"

    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=60) == 0
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()], "workers left behind"

    # Workers log JSON (settings reach them through the environment), one line per request.
    lines = [json.loads(x) for x in server.log.read_text().splitlines() if x.startswith("{")]
    asked = {x["request_id"] for x in lines if x.get("path") == "/v1/ask"}
    assert asked == {f"ask-{i}" for i in range(4)}


def test_one_worker_serves_in_process(one_process: Server) -> None:
    assert one_process.get("/healthz").json()["pid"] == one_process.proc.pid
    response = one_process.post("/v1/ask", json={"question": "xin ban sao bang tot nghiep"})
    assert response.status_code == 200 and not response.json()["refused"]


def test_cli_overrides_reach_workers_as_environment(tmp_path: Path) -> None:
    base = make_settings(Path("motcua-index"), data_dir=Path("motcua-data"))
    wanted = base.model_copy(update={"index_dir": Path("rel/index"), "top_k": 7})
    env = settings_env(wanted, base)
    assert env == {
        "MOTCUA_INDEX_DIR": str(Path("rel/index").resolve()),
        "MOTCUA_TOP_K": "7",
    }


@pytest.mark.parametrize("when", ["loading", "serving"])
def test_ctrl_c_stops_serve_with_status_0(builtin_index: Path, when: str) -> None:
    # `make run` turned a non-zero status after Ctrl-C into "Error 130" and its own status 2.
    tmp = builtin_index.parent
    port = free_port()
    log = tmp / f"ctrl-c-{when}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [MOTCUA, "serve", "--port", str(port), "--index-dir", str(builtin_index)],
            cwd=tmp, env=clean_env(tmp), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        if when == "serving":
            server.wait_ready()
        else:
            time.sleep(3)  # past the interpreter's start, into loading the index
            assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0, log.read_text()
    finally:
        stop(proc)
