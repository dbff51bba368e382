"""Per-user flood control on a fake clock."""

from __future__ import annotations

from bot.channels.telegram.flood import FloodControl, FloodVerdict


def test_a_flooding_user_is_told_once_then_slowed_and_others_pass() -> None:
    now = [0.0]
    flood = FloodControl(limit=30, window=10, slow_interval=3, clock=lambda: now[0])
    verdicts = []
    for _ in range(40):
        verdicts.append(flood.check("a"))
        now[0] += 0.1  # 40 messages in 4 seconds
    assert verdicts[:30] == [FloodVerdict.ANSWER] * 30
    assert verdicts[30] is FloodVerdict.NOTICE
    assert set(verdicts[31:]) == {FloodVerdict.DROP}
    assert flood.check("b") is FloodVerdict.ANSWER  # nobody else is affected
    now[0] += 3.0
    assert flood.check("a") is FloodVerdict.ANSWER  # slowed: one message per 3 seconds
    assert flood.check("a") is FloodVerdict.DROP


def test_the_flood_ends_when_the_rate_falls_and_no_second_notice_comes_soon() -> None:
    now = [0.0]
    flood = FloodControl(limit=3, window=10, slow_interval=100, clock=lambda: now[0])
    assert [flood.check("a") for _ in range(4)][-1] is FloodVerdict.NOTICE
    now[0] += 11
    assert flood.check("a") is FloodVerdict.ANSWER
    assert [flood.check("a") for _ in range(3)][-1] is FloodVerdict.DROP  # notice at most 1/min
    now[0] += 61
    assert [flood.check("a") for _ in range(4)][-1] is FloodVerdict.NOTICE
