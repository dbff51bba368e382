"""Prometheus metrics of one running bot, and the one-line log event per handled message.

Each `Metrics` has its own registry (no global state): messages in and out per channel and
intent, unanswered questions, questions and fallbacks as a counter pair (the fallback rate
over any window is `rate(jamsosbot_fallbacks_total[1h]) / rate(jamsosbot_questions_total[1h])`),
reply latency, errors by kind (every WARNING and ERROR log record, see `ErrorCounter`),
refused webhooks by channel and reason, announcement delivery outcomes by channel and reason
(sent, retried, failed, blocked, skipped, cancelled), broadcast progress read from the outbox
at scrape time, tickets (open, per topic and region, time to first answer), and the process
(CPU, memory, open files, start time) and build information.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Callable, Iterable
from importlib import metadata

from prometheus_client import (
    PLATFORM_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from bot.logs import user_ref
from bot.store.statistics import BroadcastProgress
from bot.store.ticket_stats import TicketCounts

__all__ = ["CONTENT_TYPE_LATEST", "ErrorCounter", "Metrics"]

log = logging.getLogger("bot.traffic")
refusals_log = logging.getLogger("bot.webhooks")

# A refused webhook is logged at most once per this many seconds per channel and reason
# (a misconfigured secret or a scanner would otherwise fill the log); every one is counted.
REFUSAL_LOG_INTERVAL = 60.0

# Reply latency buckets in seconds: cheap rule answers are milliseconds, a chart a second.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
NO_INTENT = "none"  # bad input, a staff command, an unsupported message kind, an error
# Time to a ticket's first staff answer, in seconds: 5 minutes to a week.
FIRST_ANSWER_BUCKETS = (
    300.0,
    900.0,
    1800.0,
    3600.0,
    7200.0,
    14400.0,
    28800.0,
    86400.0,
    172800.0,
    259200.0,
    604800.0,
)


def build_version() -> str:
    try:
        return metadata.version("jamsosbot")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


class Metrics:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._clock = clock
        ProcessCollector(registry=self.registry)  # process_cpu_seconds_total, memory, fds
        self.registry.register(PLATFORM_COLLECTOR)  # python_info
        build = Gauge(
            "jamsosbot_build_info",
            "The running version (always 1; the labels carry the information)",
            ("version", "python"),
            registry=self.registry,
        )
        build.labels(build_version(), platform.python_version()).set(1)
        self.questions = Counter(
            "jamsosbot_questions",
            "Questions asked (messages that reached understanding), by channel",
            ("channel",),
            registry=self.registry,
        )
        self.fallbacks = Counter(
            "jamsosbot_fallbacks",
            "Questions answered with the fallback or a clarification, by channel",
            ("channel",),
            registry=self.registry,
        )
        self.webhooks_refused = Counter(
            "jamsosbot_webhooks_refused",
            "Webhook requests refused (bad secret, missing or wrong signature), by reason",
            ("channel", "reason"),
            registry=self.registry,
        )
        self._refusal_logged: dict[tuple[str, str], float] = {}
        self._refusals_unlogged: dict[tuple[str, str], int] = {}
        self.messages_in = Counter(
            "jamsosbot_messages_in",
            "Messages received, by channel and understood intent",
            ("channel", "intent"),
            registry=self.registry,
        )
        self.messages_out = Counter(
            "jamsosbot_messages_out",
            "Replies sent back, by channel and the intent they answer",
            ("channel", "intent"),
            registry=self.registry,
        )
        self.unanswered = Counter(
            "jamsosbot_unanswered",
            "Questions the bot could not answer (fallback or clarification)",
            ("channel",),
            registry=self.registry,
        )
        self.latency = Histogram(
            "jamsosbot_reply_seconds",
            "Time from receiving a message to having its replies",
            ("channel",),
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "jamsosbot_errors",
            "Warnings and errors logged, by kind (the logger, or an explicit kind) and level",
            ("kind", "level"),
            registry=self.registry,
        )
        self.broadcast = Gauge(
            "jamsosbot_broadcast_recipients",
            "Recipients of the latest broadcasts, by broadcast id, its status and outbox state",
            ("broadcast", "status", "state"),
            registry=self.registry,
        )
        self.deliveries = Counter(
            "jamsosbot_broadcast_deliveries",
            "Announcement send outcomes by channel, outcome (sent, retried, failed, blocked,"
            " skipped, cancelled) and reason (the failure kind, or message/template for sent)",
            ("channel", "outcome", "reason"),
            registry=self.registry,
        )
        self._questions = 0
        self._fallbacks = 0
        self._tickets = _TicketCollector()
        self.registry.register(self._tickets)

    def fallback_ratio(self) -> float:
        """Share of questions since start that got the fallback (for a quick look; /metrics
        has the counter pair, from which a rate over any window follows)."""
        return self._fallbacks / self._questions if self._questions else 0.0

    def webhook_refused(self, channel: str, reason: str) -> None:
        """Count a refused webhook request; log it at most once a minute per reason, with
        the number refused since the last line. Never logs the request (it may be hostile)."""
        self.webhooks_refused.labels(channel, reason).inc()
        key = (channel, reason)
        now = self._clock()
        last = self._refusal_logged.get(key)
        if last is not None and now - last < REFUSAL_LOG_INTERVAL:
            self._refusals_unlogged[key] = self._refusals_unlogged.get(key, 0) + 1
            return
        self._refusal_logged[key] = now
        unlogged = self._refusals_unlogged.pop(key, 0)
        refusals_log.warning(
            "webhook refused",
            extra={"kind": "webhook_refused", "channel": channel, "reason": reason,
                   "since_last_line": unlogged + 1},
        )  # fmt: skip

    def observe_message(
        self,
        *,
        channel: str,
        user_id: str,
        intent: str | None,
        answered: bool | None,
        replies: int,
        seconds: float,
    ) -> None:
        """Count one handled message and log it as one event (no text, hashed user).

        `intent` is None when the message never reached understanding; `answered` is None
        when it was no question (a command, bad input).
        """
        label = intent or NO_INTENT
        self.messages_in.labels(channel, label).inc()
        if replies:
            self.messages_out.labels(channel, label).inc(replies)
        self.latency.labels(channel).observe(seconds)
        if answered is not None:
            self._questions += 1
            self.questions.labels(channel).inc()
            if not answered:
                self._fallbacks += 1
                self.fallbacks.labels(channel).inc()
                self.unanswered.labels(channel).inc()
        log.info(
            "message handled",
            extra={
                "channel": channel,
                "user": user_ref(channel, user_id),
                "intent": label,
                "answered": answered,
                "replies": replies,
                "ms": round(seconds * 1000, 1),
            },
        )

    def observe_delivery(self, channel: str, outcome: str, reason: str) -> None:
        """Count one announcement send outcome (the outbox sender reports each one)."""
        self.deliveries.labels(channel, outcome, reason).inc()

    def set_broadcast_progress(self, progress: Iterable[BroadcastProgress]) -> None:
        self.broadcast.clear()
        for row in progress:
            self.broadcast.labels(str(row.broadcast_id), row.status, row.state).set(row.count)

    def set_ticket_counts(self, counts: TicketCounts) -> None:
        """The inbox as read from the store at scrape time (tickets by status, topic and
        region, and the time to first answer of the tickets still stored)."""
        self._tickets.counts = counts

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric."""
        return generate_latest(self.registry)


class _TicketCollector(Collector):
    def __init__(self) -> None:
        self.counts: TicketCounts | None = None

    def collect(self) -> Iterable[Metric]:
        counts = self.counts
        if counts is None:
            return []
        status = GaugeMetricFamily(
            "jamsosbot_tickets", "Tickets stored, by status", labels=("status",)
        )
        for name, n in sorted(counts.per_status.items()):
            status.add_metric((name,), n)
        topic = GaugeMetricFamily(
            "jamsosbot_tickets_by_topic",
            "Tickets opened in the statistics period, by the topic asked before",
            labels=("topic",),
        )
        for name, n in sorted(counts.per_topic.items()):
            topic.add_metric((name or "unknown",), n)
        region = GaugeMetricFamily(
            "jamsosbot_tickets_by_region",
            "Tickets opened in the statistics period, by the user's region code",
            labels=("region",),
        )
        for name, n in sorted(counts.per_region.items()):
            region.add_metric((name or "unknown",), n)
        waits = sorted(counts.first_answer_seconds)
        buckets = [
            (f"{bound:g}", float(sum(1 for w in waits if w <= bound)))
            for bound in FIRST_ANSWER_BUCKETS
        ]
        buckets.append(("+Inf", float(len(waits))))
        first = HistogramMetricFamily(
            "jamsosbot_ticket_first_answer_seconds",
            "Time from a ticket opened to its first staff answer",
            buckets=buckets,
            sum_value=sum(waits),
        )
        return [status, topic, region, first]


class ErrorCounter(logging.Handler):
    """Counts WARNING and ERROR records (a reply not delivered is a warning) by kind:
    `extra={"kind": ...}`, else the logger name without the `bot.` prefix."""

    def __init__(self, metrics: Metrics):
        super().__init__(level=logging.WARNING)
        self._metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        kind = getattr(record, "kind", None)
        if not isinstance(kind, str):
            kind = record.name.removeprefix("bot.")
        self._metrics.errors.labels(kind, record.levelname.lower()).inc()
