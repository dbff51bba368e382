"""The deploy files agree with the code: commands exist, paths match, settings are documented."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.config import Settings
from tests.deploy.deployment import (
    DEPLOY,
    compose,
    dockerfile_instructions,
    exec_form,
    unit_environment,
    unit_values,
)

# Read by Caddy and Compose only, not by the bot.
DEPLOY_ONLY = {"JAMSOS_DOMAIN", "JAMSOS_UPSTREAM"}


def _parses(command: list[str]) -> None:
    assert command[0].endswith("jamsosbot"), command
    build_parser().parse_args(command[1:])  # exits (SystemExit) on an unknown command


def test_dockerfile_runs_serve_with_a_healthcheck_as_non_root() -> None:
    instructions = dockerfile_instructions()
    final = instructions[max(i for i, (op, _) in enumerate(instructions) if op == "FROM") :]
    by_op: dict[str, list[str]] = {}
    for op, arguments in final:
        by_op.setdefault(op, []).append(arguments)
    (base,) = {
        arguments for op, arguments in instructions if op == "FROM" and " AS " not in arguments
    }
    assert base == "${PYTHON_IMAGE}"
    cmd = exec_form(by_op["CMD"][-1])
    assert cmd == ["jamsosbot", "serve"]
    _parses(cmd)
    (health,) = by_op["HEALTHCHECK"]
    health_cmd = exec_form(health.split(" CMD ", 1)[1])
    assert health_cmd[:2] == ["jamsosbot", "healthcheck"]
    _parses(health_cmd)
    assert by_op["USER"][-1] not in ("root", "0")
    assert exec_form(by_op["VOLUME"][0]) == ["/data"]
    env = " ".join(by_op["ENV"])
    assert "JAMSOS_DATA_DIR=/data" in env and "JAMSOS_HOST=0.0.0.0" in env
    assert "JAMSOS_PORT=8080" in env and by_op["EXPOSE"] == ["8080"]
    copied = " ".join(arguments for op, arguments in instructions if op == "COPY")
    for needed in ("bot", "handlers", "locales", "pyproject.toml"):
        assert needed in copied


def test_compose_runs_the_bot_behind_caddy_with_a_data_volume() -> None:
    document = compose()
    bot = document["services"]["bot"]
    _parses(bot["command"])
    assert bot["command"] == ["jamsosbot", "serve"]
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).is_file()
    assert "ports" not in bot, "only Caddy is reachable from outside"
    data_dir = bot["environment"]["JAMSOS_DATA_DIR"]
    assert f"data:{data_dir}" in bot["volumes"]
    assert "data" in document["volumes"]
    assert bot["env_file"] == ".env"
    caddy = document["services"]["caddy"]
    assert caddy["image"].startswith("caddy:")
    assert "443:443" in caddy["ports"]
    assert caddy["depends_on"]["bot"]["condition"] == "service_healthy"
    mounted = [v.split(":")[0] for v in caddy["volumes"] if v.startswith("./")]
    assert mounted and all((DEPLOY / path).is_file() for path in mounted)


def test_caddy_proxies_to_the_bot_port_and_hides_ops_routes() -> None:
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    port = compose()["services"]["bot"]["environment"]["JAMSOS_PORT"]
    assert f"reverse_proxy {{$JAMSOS_UPSTREAM:bot:{port}}}" in caddyfile
    assert re.search(r"@internal path /healthz /metrics\s+respond @internal 404", caddyfile)


def test_systemd_units_run_existing_commands_on_the_state_directory() -> None:
    service = DEPLOY / "jamsosbot.service"
    (exec_start,) = unit_values(service, "Service", "ExecStart")
    command = exec_start.split()
    assert command[0].startswith("/") and command[1:] == ["serve"]
    _parses(command)
    env = unit_environment(service)
    state = unit_values(service, "Service", "StateDirectory")[0]
    assert env["JAMSOS_DATA_DIR"] == f"/var/lib/{state}"
    assert env["JAMSOS_HOST"] == "127.0.0.1"
    assert unit_values(service, "Service", "User") == ["jamsos"]

    backup = DEPLOY / "jamsosbot-backup.service"
    (backup_start,) = unit_values(backup, "Service", "ExecStart")
    inner = re.search(r"exec (\S+) db backup ", backup_start)
    assert inner is not None and inner.group(1) == command[0]
    _parses(["jamsosbot", "db", "backup", "/tmp/x.sqlite3"])
    assert unit_environment(backup)["JAMSOS_DATA_DIR"] == env["JAMSOS_DATA_DIR"]
    timer = DEPLOY / "jamsosbot-backup.timer"
    assert unit_values(timer, "Timer", "OnCalendar") and unit_values(timer, "Timer", "Persistent")


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    venv_bin = str(Path(sys.executable).parent / "jamsosbot")
    names = ("jamsosbot.service", "jamsosbot-backup.service", "jamsosbot-backup.timer")
    for name in names:
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(
            text.replace("/opt/jamsosbot/.venv/bin/jamsosbot", venv_bin), encoding="utf-8"
        )
    done = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in names)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    text = (DEPLOY / "env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*(JAMSOS_[A-Z0-9_]+)=", text, flags=re.MULTILINE))
    settings = {f"JAMSOS_{name.upper()}" for name in Settings.model_fields}
    assert not settings - documented, f"undocumented: {sorted(settings - documented)}"
    assert not documented - settings - DEPLOY_ONLY, sorted(documented - settings - DEPLOY_ONLY)


# --- reproducible builds ---------------------------------------------------------------------

ROOT = DEPLOY.parent
DIGEST = re.compile(r"^python:3\.11[\w.\-]*-slim-bookworm@sha256:[0-9a-f]{64}$")


def test_every_base_image_is_pinned_by_digest() -> None:
    instructions = dockerfile_instructions()
    args = dict(
        arguments.split("=", 1)
        for op, arguments in instructions
        if op == "ARG" and "=" in arguments
    )
    bases = [arguments.split(" AS ")[0] for op, arguments in instructions if op == "FROM"]
    assert len(bases) == 2
    for base in bases:
        image = args.get(base.strip("${}"), base)
        assert DIGEST.match(image), image


def _locked(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_the_lock_files_pin_every_dependency_of_pyproject() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, dev = _locked(ROOT / "requirements.lock"), _locked(ROOT / "requirements-dev.lock")
    name = re.compile(r"^[A-Za-z0-9_.\-]+")
    for requirement in project["dependencies"]:
        wanted = name.match(requirement)
        assert wanted and wanted.group(0).lower() in runtime, requirement
    for requirement in project["optional-dependencies"]["dev"]:
        wanted = name.match(requirement)
        assert wanted and wanted.group(0).lower().replace("_", "-") in dev, requirement
    # The runtime lock is the dev lock without the dev tools: the same versions.
    assert {k: dev[k] for k in runtime} == runtime
    assert "pytest" not in runtime and "ruff" not in runtime


def test_the_image_and_the_makefile_install_from_the_lock() -> None:
    runs = " ".join(arguments for op, arguments in dockerfile_instructions() if op == "RUN")
    assert "-r requirements.lock" in runs
    assert "install --no-deps ." in runs and " -e " not in runs  # a normal install
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-r requirements.lock" in makefile and "-r requirements-dev.lock" in makefile


def test_compose_backups_are_pruned() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    cron = next(line for line in guide.splitlines() if "db backup" in line and "docker" in line)
    command = cron.split(" root ", 1)[1]
    assert "--keep" in command
    backup = next(part for part in command.split("&&") if "jamsosbot db backup" in part)
    dated = re.sub(r"\$\(date[^)]*\)", "20261123", backup.split(" bot ", 1)[1])
    _parses(shlex.split(dated))
