"""`/v1/ask` at 1, 2 and 4 HTTP workers with PostgreSQL and Redis in the path, next to the
embedded single process (SQLite, no Redis).

Each configuration starts `motcua serve` (extractive mode) on a free loopback port, waits
until every worker has loaded the index, warms up, then `--clients` threads post the
development questions (both forms) until `--requests` have been sent or `--seconds` have
passed. In the shared-state configurations every question goes through PostgreSQL (the
question log, the curated-answer lookup) and Redis (the per-address rate limit, set far above
what the run sends, so it counts without refusing). A fresh PostgreSQL database and a fresh
Redis key namespace are used and removed afterwards.

On 2 cores the ceiling is expected at 2 workers: the answer path is CPU-bound (the query
embedding, the rankers), so more processes only share the same two cores.

    python -m benchmarks.workers [--workers 1 2 4] [--clients 8] [--requests 400] [--seconds 60]
"""

from __future__ import annotations

import argparse
import uuid
from contextlib import ExitStack
from pathlib import Path

import httpx

from benchmarks.common import OUT, QUESTION_FILES, build_index, machine, require_shared, write_json
from benchmarks.host import least_disturbed
from benchmarks.load import REQUEST_TIMEOUT, run_level
from benchmarks.service import running_service

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
NO_LIMIT_IN_PRACTICE = 10**9


def drop_namespace(redis_url: str, namespace: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(f"{namespace}:*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def measure(index_dir: Path, env: dict[str, str], workers: int, questions: list[str], args) -> dict:
    with running_service(index_dir, env, workers=workers) as service:
        # Warm every worker (first answers load lazily); new connections spread over them.
        for question in questions[: 4 * workers]:
            httpx.post(
                f"{service.base}/v1/ask", json={"question": question}, timeout=REQUEST_TIMEOUT
            )
        row, share, runs = least_disturbed(
            lambda: run_level(service.base, args.clients, questions, args.requests, args.seconds),
            pids=service.pids,
        )
    return {**row, "workers": workers, "others_cpu_share": share, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index-dir", type=Path, default=OUT / "index-seeds-corpus")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=800, help="questions per configuration")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per configuration")
    parser.add_argument("--postgres-admin-url", default=POSTGRES_ADMIN_URL)
    parser.add_argument("--redis-url", default=REDIS_URL)
    args = parser.parse_args()
    require_shared()

    from motcua.evaluation import FORMS, load_questions
    from motcua.storage.database import DatabaseUnavailable, temporary_database
    from motcua.storage.ephemeral import RedisUnavailable, redis_ping

    try:
        redis_ping(args.redis_url)
    except RedisUnavailable as exc:
        raise SystemExit(f"Redis is needed: {exc}") from exc
    build_index(args.index_dir)
    questions = [q.asked(f) for q in load_questions(*QUESTION_FILES) for f in FORMS]

    rows = []
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    with ExitStack() as stack:
        try:
            database_url = stack.enter_context(
                temporary_database(args.postgres_admin_url, prefix="motcua_bench")
            )
        except DatabaseUnavailable as exc:
            raise SystemExit(f"PostgreSQL is needed at {args.postgres_admin_url}: {exc}") from exc
        stack.callback(drop_namespace, args.redis_url, namespace)
        print("embedded: one process, SQLite, no Redis...", flush=True)
        rows.append({"backend": "embedded", **measure(args.index_dir, {}, 1, questions, args)})
        shared = {
            "MOTCUA_DATABASE_URL": database_url,
            "MOTCUA_REDIS_URL": args.redis_url,
            "MOTCUA_REDIS_NAMESPACE": namespace,
            "MOTCUA_API_RATE_LIMIT_PER_MINUTE": str(NO_LIMIT_IN_PRACTICE),
        }
        for workers in args.workers:
            print(f"PostgreSQL + Redis, {workers} worker(s)...", flush=True)
            row = measure(args.index_dir, shared, workers, questions, args)
            rows.append({"backend": "postgresql+redis", **row})

    base = rows[0]["per_second"] or 1.0
    print(
        f"{'backend':18s}{'workers':>8s}{'requests':>9s}{'errors':>7s}{'q/s':>7s}"
        f"{'× embedded':>11s}{'p50 ms':>9s}{'p95 ms':>9s}  others' CPU share"
    )
    for r in rows:
        print(
            f"{r['backend']:18s}{r['workers']:8d}{r['requests']:9d}{r['errors']:7d}"
            f"{r['per_second']:7.1f}{r['per_second'] / base:11.2f}"
            f"{r['p50_ms'] or 0:9.1f}{r['p95_ms'] or 0:9.1f}  {r['others_cpu_share']:.2f}"
        )
    results = {
        "machine": machine(),
        "mode": f"extractive, {args.clients} concurrent clients on loopback",
        "bounds": {"requests": args.requests, "seconds": args.seconds},
        "rows": rows,
    }
    print(f"written: {write_json('workers', results)}")


if __name__ == "__main__":
    main()
