"""Prometheus metrics (official client): requests and latency per route and channel,
refusals, the version of the index being served, and ingest jobs (read from the database at
scrape time, so every worker reports the same jobs)."""

from __future__ import annotations

import time

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from motcua.storage.jobs import DONE, FAILED, QUEUED, RUNNING, IngestJobs


class IngestJobsCollector(Collector):
    def __init__(self, jobs: IngestJobs) -> None:
        self.jobs = jobs

    def collect(self):  # noqa: ANN201 - yields metric families
        by_status = GaugeMetricFamily(
            "motcua_ingest_jobs", "Recent ingest jobs by status", labels=["status"]
        )
        progress = GaugeMetricFamily(
            "motcua_ingest_progress_ratio",
            "Passages embedded of the total, per running job",
            labels=["job"],
        )
        counts = dict.fromkeys((QUEUED, RUNNING, DONE, FAILED), 0)
        for job in self.jobs.recent(limit=200):
            counts[job.status] = counts.get(job.status, 0) + 1
            if job.status == RUNNING:
                progress.add_metric([job.id], job.progress / job.total if job.total else 0.0)
        for status, count in counts.items():
            by_status.add_metric([status], count)
        yield by_status
        yield progress


class RequestMetrics:
    """Counts and times each request by the route that served it. Pure ASGI: Starlette's
    `BaseHTTPMiddleware` would run every request through a task group and memory streams."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, noting_status)
        path = getattr(scope.get("route"), "path", "unmatched")
        channel = path.rsplit("/", 1)[-1] if path.startswith("/webhook/") else "http"
        self.metrics.latency.labels(path, channel).observe(time.perf_counter() - started)
        self.metrics.requests.labels(path, channel, str(status)).inc()


class Metrics:
    """One registry per app, so tests and several apps in one process do not collide."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "motcua_requests_total",
            "HTTP requests",
            ["route", "channel", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "motcua_request_seconds",
            "HTTP request latency",
            ["route", "channel"],
            registry=self.registry,
        )
        self.answers = Counter(
            "motcua_answers_total",
            "Answers given, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.index_version = Gauge(
            "motcua_index_version", "Version of the index being served", registry=self.registry
        )

    def watch_jobs(self, jobs: IngestJobs) -> None:
        self.registry.register(IngestJobsCollector(jobs))

    def install(self, app: FastAPI, endpoint: bool = True) -> None:
        """Measure every request; with `endpoint`, serve the figures at /metrics."""

        app.add_middleware(RequestMetrics, metrics=self)

        if not endpoint:
            return

        @app.get("/metrics", include_in_schema=False)
        def metrics() -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
