"""docker/ read as data: compose's services (their commands, environment and volumes) and the
Dockerfile's instructions, for the tests that check them against the code
(tests/commands/test_deploy_files.py) and run them outside Docker
(tests/commands/test_compose_outside_docker.py)."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

import yaml

DOCKER = Path(__file__).resolve().parents[1] / "docker"
COMPOSE = yaml.safe_load((DOCKER / "compose.yaml").read_text())  # safe_load merges `<<: *x`
SERVICES: dict[str, dict] = COMPOSE["services"]
DOCKERFILE = (DOCKER / "Dockerfile").read_text()


def argv(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(c) for c in command]


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the "KEY=value" list form
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def default_of(value: str) -> str:
    """The default of a compose interpolation: "${VAR:-x}" -> "x"."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


INTERPOLATION = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}")


def interpolate(value: str, variables: Mapping[str, str]) -> str:
    """A compose value with `${VAR}`, `${VAR:-default}` (unset or empty), `${VAR-default}`
    (unset) and `$$` resolved from `variables`, as `docker compose --env-file` does."""

    def resolve(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, default = match.groups()
        value = variables.get(name)
        if (operator == ":-" and not value) or (operator == "-" and value is None):
            return default
        assert value is not None, f"${{{name}}} is not set and has no default"
        return value

    return INTERPOLATION.sub(resolve, value)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    lines = [line for line in DOCKERFILE.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    result = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def image_environment() -> dict[str, str]:
    """The Dockerfile's ENV: what every container starts with, before compose's settings."""
    return {
        name: value
        for keyword, arguments in dockerfile_instructions()
        if keyword == "ENV"
        for name, _, value in (word.partition("=") for word in shlex.split(arguments))
    }


MOTCUA_SERVICES = [
    name
    for name, service in SERVICES.items()
    if "command" in service and argv(service["command"])[:1] == ["motcua"]
]
