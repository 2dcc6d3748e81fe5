"""The multi-worker deployment for real: two `motcua serve` processes and a `motcua worker` on
loopback, sharing one PostgreSQL database, one Redis and one index folder.

Needs PostgreSQL and Redis on 127.0.0.1 (as every machine here has); without them these tests
fail and say so.
"""

from __future__ import annotations

import signal
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REDIS_URL, fresh_postgres_database
from tests.processes import Server, clean_env, free_port, spawn, stop
from tests.stubs import serve_json

pytestmark = [pytest.mark.services, pytest.mark.slow]  # two workers on the real servers

TOKEN = "123456:multiworker-token"
SECRET = "multiworker-secret"
KEY = {"X-API-Key": "khoa-trien-khai"}
CHAT_ID = 5550001


@dataclass
class BotApiStub:
    sent: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, path: str, _headers: dict[str, str], params: dict) -> object:
        method = path.rsplit("/", 1)[-1]
        if method == "getMe":
            result: object = {"id": 42, "is_bot": True, "first_name": "Một Cửa", "username": "mc"}
        elif method == "sendMessage":
            with self.lock:
                self.sent.append(params)
            result = {
                "message_id": len(self.sent),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        else:
            result = True
        return {"ok": True, "result": result}


@dataclass
class Cluster:
    tmp: Path
    env: dict[str, str]
    servers: list[Server]
    bot_api: BotApiStub
    workers: list = field(default_factory=list)

    def start_worker(self, **extra: str) -> Any:
        log = self.tmp / f"worker-{len(self.workers)}.log"
        proc = spawn(["worker"], {**self.env, **extra}, self.tmp, log)
        self.workers.append(proc)
        return proc

    def job(self, job_id: str) -> dict[str, Any]:
        return self.servers[0].get(f"/v1/jobs/{job_id}", headers=KEY).json()

    def wait_job(self, job_id: str, statuses: set[str], timeout: float = 240) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["status"] in statuses:
                return job
            assert time.monotonic() < deadline, f"job stuck: {job}\n{self.logs()}"
            time.sleep(0.3)

    def version(self, server: Server) -> int | None:
        return server.get("/readyz").json().get("index_version")

    def wait_version(self, version: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for server in self.servers:
            while self.version(server) != version:
                assert time.monotonic() < deadline, f"{server.url} did not switch to {version}"
                time.sleep(0.2)

    def logs(self) -> str:
        return "\n".join(f"== {p.name}\n{p.read_text()[-3000:]}" for p in self.tmp.glob("*.log"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    from motcua.storage.ephemeral import RedisUnavailable, redis_ping

    try:
        redis_ping(REDIS_URL)
    except RedisUnavailable as exc:
        pytest.fail(f"Redis is required at 127.0.0.1:6379: {exc}", pytrace=False)
    tmp = tmp_path_factory.mktemp("cluster")
    bot_api = BotApiStub()
    with fresh_postgres_database() as database_url, serve_json(bot_api.handle) as stub_url:
        env = clean_env(
            tmp,
            MOTCUA_DATABASE_URL=database_url,
            MOTCUA_REDIS_URL=REDIS_URL,
            MOTCUA_REDIS_NAMESPACE=f"t{uuid.uuid4().hex[:10]}",  # other runs share this Redis
            MOTCUA_INDEX_DIR=str(tmp / "index"),
            MOTCUA_TELEGRAM_BOT_TOKEN=TOKEN,
            MOTCUA_TELEGRAM_WEBHOOK_SECRET=SECRET,
            MOTCUA_TELEGRAM_API_BASE_URL=f"{stub_url}/bot",
            MOTCUA_ADMIN_API_KEY=KEY["X-API-Key"],
            MOTCUA_INDEX_POLL_SECONDS="0.3",
            MOTCUA_JOB_STALE_SECONDS="4",
            MOTCUA_LOG_FORMAT="json",
        )
        # The same commands as docker/compose.yaml: migrate, ingest, serve ×2, worker.
        for args in (["migrate"], ["ingest", "--builtin"]):
            proc = spawn(args, env, tmp, tmp / f"{args[0]}.log")
            assert proc.wait(timeout=300) == 0, (tmp / f"{args[0]}.log").read_text()
        servers = []
        for n in range(2):
            port = free_port()
            proc = spawn(
                ["serve", "--host", "127.0.0.1", "--port", str(port)],
                env,
                tmp,
                tmp / f"serve{n}.log",
            )
            servers.append(Server(proc, f"http://127.0.0.1:{port}", tmp / f"serve{n}.log"))
        cluster = Cluster(tmp, env, servers, bot_api)
        try:
            for server in servers:
                server.wait_ready("/readyz")
            yield cluster
        finally:
            for proc in [s.proc for s in servers] + cluster.workers:
                stop(proc)


def telegram_update(update_id: int, text: str) -> dict[str, Any]:
    user = {"id": CHAT_ID, "is_bot": False, "first_name": "Lan"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 100_000,
            "date": int(time.time()),
            "from": user,
            "chat": {"id": CHAT_ID, "type": "private", "first_name": "Lan"},
            "text": text,
        },
    }


def test_both_workers_are_ready_on_the_shared_servers(cluster: Cluster) -> None:
    for server in cluster.servers:
        ready = server.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["index_version"] == cluster.version(cluster.servers[0])


def test_the_same_telegram_update_posted_to_both_is_answered_once(cluster: Cluster) -> None:
    update = telegram_update(910_000_000 + int(time.time()) % 1000, "le phi cap ban sao van bang")
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    before = len(cluster.bot_api.sent)
    results = [None, None]

    def post(n: int) -> None:
        results[n] = cluster.servers[n].post("/webhook/telegram", json=update, headers=headers)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status_code for r in results] == [200, 200]
    assert sorted(bool(r.json().get("duplicate")) for r in results) == [False, True]
    deadline = time.monotonic() + 60
    while len(cluster.bot_api.sent) == before:
        assert time.monotonic() < deadline, cluster.logs()
        time.sleep(0.2)
    time.sleep(1.5)  # a second reply, if any, would have arrived by now
    replies = [r["text"] for r in cluster.bot_api.sent[before:]]
    # One answer may take two messages (the asked fee first, the rest of the card after);
    # answered twice, every message would arrive twice.
    assert len(replies) == len(set(replies)), replies
    assert "lệ phí" in replies[0].lower()


def test_a_conversation_started_on_one_worker_continues_on_the_other(cluster: Cluster) -> None:
    first, second = cluster.servers
    asked = first.post("/v1/ask", json={"question": "Thủ tục chuyển trường cho con"}).json()
    conversation = asked["conversation_id"]  # issued by the first worker
    assert "THCS hay THPT" in asked["answer"], "the bot asks back which level"
    followed = second.post(
        "/v1/ask", json={"question": "lớp 8", "conversation_id": conversation}
    ).json()
    assert followed["citations"][0]["doc_id"] == "tthc-chuyen-truong-thcs"


PLAN = """UỶ BAN NHÂN DÂN TỈNH TRÀ VINH
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 88/KH-SGDĐT
KẾ HOẠCH
Tổ chức hội thi giáo viên dạy giỏi cấp tỉnh năm 2026
I. THỜI GIAN
Hội thi giáo viên dạy giỏi cấp tỉnh diễn ra từ ngày 10 đến ngày 14 tháng 11 năm 2026.
II. ĐỊA ĐIỂM
Hội thi tổ chức tại Trường THPT chuyên Trà Vinh.
"""


def test_an_upload_through_one_worker_is_answered_by_both(cluster: Cluster) -> None:
    cluster.start_worker()
    first, second = cluster.servers
    question = "hoi thi giao vien day gioi cap tinh dien ra khi nao?"
    assert first.post("/v1/ask", json={"question": question}).json()["refused"] is True

    statuses: list[int] = []
    stop_asking = threading.Event()

    def keep_asking(server: Server) -> None:
        while not stop_asking.is_set():
            try:
                code = server.post("/v1/ask", json={"question": "chuyen truong lop 10"}).status_code
            except httpx.HTTPError:
                code = -1
            statuses.append(code)

    askers = [threading.Thread(target=keep_asking, args=(s,)) for s in cluster.servers]
    for asker in askers:
        asker.start()
    try:
        response = first.post(
            "/v1/documents",
            headers=KEY,
            files=[("files", ("hoi-thi-gvdg.txt", PLAN.encode("utf-8")))],
        )
        assert response.status_code == 202, response.text
        job = cluster.wait_job(response.json()["job"]["id"], {"done", "failed"})
        assert job["status"] == "done", job
        cluster.wait_version(job["version_id"])
    finally:
        stop_asking.set()
        for asker in askers:
            asker.join()
    assert statuses and all(code == 200 for code in statuses), (
        f"{sum(c != 200 for c in statuses)} of {len(statuses)} questions failed during re-index"
    )
    for server in cluster.servers:
        answer = server.post("/v1/ask", json={"question": question}).json()
        assert answer["refused"] is False
        assert answer["citations"][0]["doc_id"] == "hoi-thi-gvdg"
        assert "14 tháng 11" in answer["answer"]


def long_plan(sections: int) -> str:
    """A plan long enough that indexing it takes several seconds (many passages to embed)."""
    parts = ["SỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 99/KH-SGDĐT\nKẾ HOẠCH\nKiểm tra nội bộ trường học"]
    for n in range(1, sections + 1):
        parts.append(
            f"Điều {n}. Nội dung kiểm tra số {n}\n"
            + " ".join(
                f"Trường kiểm tra hồ sơ chuyên môn của tổ {n}, giáo viên lớp {k} nộp báo cáo "
                f"trước ngày {k + 1} tháng {n % 12 + 1}."
                for k in range(1, 9)
            )
        )
    return "\n\n".join(parts)


def test_a_killed_job_worker_leaves_the_current_version_serving_and_the_job_is_retried(
    cluster: Cluster,
) -> None:
    for proc in cluster.workers:
        stop(proc)
    worker = cluster.start_worker()
    first = cluster.servers[0]
    served = cluster.version(first)
    response = first.post(
        "/v1/documents",
        headers=KEY,
        files=[("files", ("kiem-tra-noi-bo.txt", long_plan(120).encode("utf-8")))],
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["job"]["id"]
    deadline = time.monotonic() + 120
    while not (cluster.job(job_id)["status"] == "running" and cluster.job(job_id)["progress"] > 0):
        assert time.monotonic() < deadline, cluster.logs()
        time.sleep(0.1)

    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    killed = cluster.job(job_id)
    assert killed["status"] == "running" and killed["progress"] < killed["total"]
    for server in cluster.servers:
        assert cluster.version(server) == served, "the current version keeps serving"
        assert server.post("/v1/ask", json={"question": "chuyen truong"}).status_code == 200

    cluster.start_worker()  # finds the job's stale heartbeat, queues it again, runs it
    job = cluster.wait_job(job_id, {"done", "failed"})
    assert job["status"] == "done", job
    assert job["attempts"] == 2
    assert "stopped responding" in (job["error"] or "")
    cluster.wait_version(job["version_id"])
    for server in cluster.servers:
        listed = server.get("/v1/documents", headers=KEY).json()
        indexed = {d["doc_id"]: d["chunks"] for d in listed["documents"]}
        assert indexed.get("kiem-tra-noi-bo") == job["total"], "all passages, once each"
    folders = sorted(p.name for p in (cluster.tmp / "index" / "versions").iterdir())
    assert len(folders) <= 3, f"the dead attempt's folder was cleaned: {folders}"
