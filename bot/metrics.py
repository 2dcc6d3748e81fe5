"""Prometheus metrics (official client): requests and latency per route and channel,
refusals, the version of the index being served, and ingest jobs (read from the database at
scrape time, so every worker reports the same jobs)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
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

        @app.middleware("http")
        async def measure(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            started = time.perf_counter()
            response = await call_next(request)
            route = request.scope.get("route")
            path = getattr(route, "path", "unmatched")
            channel = path.rsplit("/", 1)[-1] if path.startswith("/webhook/") else "http"
            self.latency.labels(path, channel).observe(time.perf_counter() - started)
            self.requests.labels(path, channel, str(response.status_code)).inc()
            return response

        if not endpoint:
            return

        @app.get("/metrics", include_in_schema=False)
        def metrics() -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
