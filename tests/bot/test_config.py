"""Settings are checked at start: a wrong value is named, never a traceback or a silent default."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.cli import main
from bot.config import CliLanguage, Settings


def problems(**env: str) -> str:
    with pytest.raises(ValidationError) as raised:
        Settings(**env)  # type: ignore[arg-type]
    return str(raised.value)


def test_defaults_are_valid() -> None:
    settings = Settings()
    assert settings.log_level == "INFO"
    assert settings.default_locale == "id"


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"timezone": "Asia/Jakata"}, "unknown time zone"),
        ({"log_level": "LOUD"}, "one of DEBUG"),
        ({"default_locale": "indonesian"}, "not a language code"),
        ({"admins": "12345"}, "<channel>:<user id>"),
        ({"admins": "signal:12345"}, "<channel>:<user id>"),
        ({"admins": "telegram:"}, "<channel>:<user id>"),
        ({"max_message_chars": "-1"}, "greater than 0"),
        ({"whatsapp_max_attempts": "0"}, "greater than or equal to 1"),
        ({"whatsapp_messages_per_second": "-5"}, "greater than 0"),
        ({"port": "-1"}, "greater than or equal to 0"),
        ({"whatsapp_token": "EAAG-token"}, "needed together"),
        ({"whatsapp_phone_id": "1234"}, "needed together"),
    ],
)
def test_a_wrong_setting_is_refused(values: dict[str, str], named: str) -> None:
    assert named in problems(**values)


def test_values_are_normalised() -> None:
    settings = Settings(
        log_level="warning", default_locale="en-US", admins="telegram:1, whatsapp:2"
    )
    assert settings.log_level == "WARNING"
    assert settings.default_locale == "en"
    assert settings.admins == ("telegram:1", "whatsapp:2")


def test_the_command_line_names_each_problem_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JAMSOS_LOG_LEVEL", "verbose")
    monkeypatch.setenv("JAMSOS_ADMINS", "6281234567890")
    assert main(["stats"]) == 2
    err = capsys.readouterr().err
    assert "JAMSOS_LOG_LEVEL" in err and "JAMSOS_ADMINS" in err
    assert "Traceback" not in err
    assert "6281234567890" not in err  # a phone number is personal data, even here


def test_whatsapp_token_without_phone_id_does_not_fall_back_to_the_console(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JAMSOS_WHATSAPP_TOKEN", "EAAG-secret-token-value")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "JAMSOS_WHATSAPP_PHONE_ID" in err
    assert "EAAG-secret-token-value" not in err


def test_the_language_is_read_even_when_the_rest_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAMSOS_DEFAULT_LOCALE", "en")
    monkeypatch.setenv("JAMSOS_LOG_LEVEL", "LOUD")
    assert CliLanguage().default_locale == "en"
