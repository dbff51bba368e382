"""Answers: the toolkit handlers build replies with.

Fact sentences with their source and date, place resolution for region questions, charts, the
village progress wording, and the pure calculators (contributions, benefits, pension). May
import `core`, `domain`, `regions` and the store's models; never a channel or an SDK.
"""
