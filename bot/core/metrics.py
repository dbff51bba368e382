"""Prometheus metrics of one running bot, and the one-line log event per handled message.

Each `Metrics` has its own registry (no global state): messages in and out per channel and
intent, unanswered questions and the fallback ratio, reply latency, errors by kind (every
WARNING and ERROR log record, see `ErrorCounter`) and broadcast progress read from the
outbox at scrape time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from bot.logs import user_ref
from bot.store.statistics import BroadcastProgress
from bot.store.ticket_stats import TicketCounts

__all__ = ["CONTENT_TYPE_LATEST", "ErrorCounter", "Metrics"]

log = logging.getLogger("bot.traffic")

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


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
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
        self._questions = 0
        self._fallbacks = 0
        fallback_ratio = Gauge(
            "jamsosbot_fallback_ratio",
            "Share of questions since start that got the fallback answer",
            registry=self.registry,
        )
        fallback_ratio.set_function(self.fallback_ratio)
        self._tickets = _TicketCollector()
        self.registry.register(self._tickets)

    def fallback_ratio(self) -> float:
        return self._fallbacks / self._questions if self._questions else 0.0

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
            if not answered:
                self._fallbacks += 1
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
