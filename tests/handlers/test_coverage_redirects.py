"""Coverage-topic messages handed on: award questions and village questions."""

from __future__ import annotations

from bot.domain.messages import ChatRef, Incoming
from handlers.coverage_redirects import about_the_award

CHAT = ChatRef(channel="console", user_id="u1", chat_id="u1")


def test_award_words_hand_the_question_to_the_paritrana_answer() -> None:
    assert about_the_award(Incoming(chat=CHAT, text="kayong utara masuk nominasi?"))
    assert about_the_award(Incoming(chat=CHAT, text="Ketapang juara paritrana"))
    assert not about_the_award(Incoming(chat=CHAT, text="cakupan ketapang 2024"))
    assert not about_the_award(Incoming(chat=CHAT, payload="coverage_region?region=61.04"))
