"""docker/: no Docker engine runs here, so the files are checked against the code instead.

Every `motcua ...` command the image or compose runs must be a real subcommand with real
options, and every MOTCUA_* variable they set must be a field of the settings object."""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main

from motcua.commands.cli import app
from motcua.settings import Settings
from tests.docker_files import (
    COMPOSE,
    DOCKER,
    MOTCUA_SERVICES,
    SERVICES,
    argv,
    default_of,
    dockerfile_instructions,
    environment,
    exec_form,
)


def check_motcua_command(words: list[str]) -> None:
    """Fail unless `motcua <sub> --opt ...` names an existing subcommand and options."""
    assert words[0] == "motcua"
    commands = typer.main.get_command(app).commands
    assert len(words) > 1 and words[1] in commands, (
        f"`{shlex.join(words)}`: no subcommand {words[1:2]} in the CLI (has: {sorted(commands)})"
    )
    command = commands[words[1]]
    known = {
        opt
        for param in command.params
        if param.param_type_name == "option"
        for opt in (*param.opts, *param.secondary_opts)
    }
    for word in words[2:]:
        if word.startswith("-"):
            flag = word.split("=", 1)[0]
            assert flag in known, f"`motcua {words[1]}` has no option {flag} (has: {sorted(known)})"


def check_settings_names(names: list[str]) -> None:
    fields = set(Settings.model_fields)
    unknown = [n for n in names if n.startswith("MOTCUA_") and n[7:].lower() not in fields]
    assert not unknown, f"not fields of motcua.settings.Settings: {unknown}"


def test_compose_runs_the_services_the_deployment_needs() -> None:
    assert {"api", "worker", "migrate", "postgres", "redis"} <= set(SERVICES)
    assert set(MOTCUA_SERVICES) == {"api", "worker", "migrate"}
    assert argv(SERVICES["worker"]["command"])[:2] == ["motcua", "worker"]
    assert argv(SERVICES["migrate"]["command"])[:2] == ["motcua", "migrate"]


@pytest.mark.parametrize("name", MOTCUA_SERVICES)
def test_compose_commands_exist_in_the_cli(name: str) -> None:
    check_motcua_command(argv(SERVICES[name]["command"]))


@pytest.mark.parametrize("name", list(SERVICES))
def test_compose_settings_exist(name: str) -> None:
    check_settings_names(list(environment(SERVICES[name])))


def test_motcua_services_are_configured_for_the_shared_backends() -> None:
    for name in MOTCUA_SERVICES:
        env = environment(SERVICES[name])
        assert default_of(env["MOTCUA_DATABASE_URL"]) == (
            "postgresql+psycopg://motcua:motcua@postgres:5432/motcua"
        )
        assert env["MOTCUA_REDIS_URL"] == "redis://redis:6379/0"
        assert env["MOTCUA_LOG_FORMAT"] == "json"


def test_api_has_replicas_and_a_healthcheck() -> None:
    api = SERVICES["api"]
    assert api["deploy"]["replicas"] >= 2
    test = api["healthcheck"]["test"]
    assert "/healthz" in " ".join(argv(test))
    assert not api["healthcheck"].get("disable")


def test_backing_services_have_healthchecks_and_start_first() -> None:
    assert SERVICES["postgres"]["image"] == "postgres:16"
    assert SERVICES["redis"]["image"] == "redis:7"
    for name in ("postgres", "redis"):
        assert SERVICES[name]["healthcheck"]["test"]
    for name in ("api", "worker"):
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
    assert SERVICES["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_index_and_data_live_on_declared_volumes() -> None:
    declared = set(COMPOSE.get("volumes") or {})
    for name, service in SERVICES.items():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0] if isinstance(mount, str) else mount["source"]
            if not source.startswith((".", "/", "~")):  # a named volume, not a bind mount
                assert source in declared, f"{name}: volume {source!r} is not declared"
    for name in MOTCUA_SERVICES:
        env = environment(SERVICES[name])
        targets = {mount.split(":")[1]: mount.split(":")[0] for mount in SERVICES[name]["volumes"]}
        for variable in ("MOTCUA_INDEX_DIR", "MOTCUA_DATA_DIR"):
            assert targets.get(env[variable]) in declared, f"{name}: {variable} not on a volume"


def test_dockerfile_entry_command_exists_in_the_cli() -> None:
    instructions = dockerfile_instructions()
    entry = [exec_form(args) for kw, args in instructions if kw == "ENTRYPOINT"]
    cmd = [exec_form(args) for kw, args in instructions if kw == "CMD"]
    assert cmd, "the Dockerfile names a default command"
    words = (entry[-1] if entry else []) + cmd[-1]
    check_motcua_command(words)
    assert words[:2] == ["motcua", "serve"]


def test_dockerfile_is_slim_non_root_cpu_only_and_checks_health() -> None:
    instructions = dockerfile_instructions()
    assert ("FROM", "python:3.11-slim") in instructions
    users = [args for kw, args in instructions if kw == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert any(kw == "HEALTHCHECK" and "/healthz" in args for kw, args in instructions)
    installs = " ".join(args for kw, args in instructions if kw == "RUN" and "pip" in args)
    assert "pip install ." in installs
    assert "sentence-transformers" not in installs and "torch" not in installs
    env_names = [
        word.split("=", 1)[0]
        for kw, args in instructions
        if kw == "ENV"
        for word in shlex.split(args)
        if "=" in word
    ]
    check_settings_names(env_names)
    assert {"MOTCUA_INDEX_DIR", "MOTCUA_DATA_DIR"} <= set(env_names)


def test_the_image_copies_every_folder_the_package_is_built_from() -> None:
    """`pip install .` in the image fails on a folder pyproject.toml maps but COPY left out."""
    import tomllib

    pyproject = tomllib.loads((DOCKER.parent / "pyproject.toml").read_text())
    folders = {f"{d}/" for d in pyproject["tool"]["setuptools"]["package-dir"].values()}
    copied = {exec_form(args)[0] for kw, args in dockerfile_instructions() if kw == "COPY"}
    assert folders <= copied, f"not copied into the image: {sorted(folders - copied)}"


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = (DOCKER.parent / ".dockerignore").read_text().split()
    assert {".git", ".venv", "motcua-index/", "motcua-data/", ".env"} <= set(ignored)


# -- configuration without editing the file (issue 19) -----------------------------------------

ENV_EXAMPLE = DOCKER / "env.example"
CADDYFILE = DOCKER / "Caddyfile"


def test_motcua_services_read_the_operators_env_file() -> None:
    for name in MOTCUA_SERVICES:
        files = SERVICES[name].get("env_file") or []
        paths = [f["path"] if isinstance(f, dict) else f for f in files]
        assert "../.env" in paths, name


def test_the_database_password_comes_from_one_variable() -> None:
    text = (DOCKER / "compose.yaml").read_text()
    assert "motcua:motcua@" not in text
    assert (
        SERVICES["postgres"]["environment"]["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:-motcua}"
    )
    url = environment(SERVICES["api"])["MOTCUA_DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:-motcua}@postgres" in url


def test_only_the_proxy_faces_the_network_and_only_it_is_trusted() -> None:
    import ipaddress

    assert "ports" not in SERVICES["api"]
    proxy = SERVICES["proxy"]
    assert sorted(proxy["ports"]) == ["443:443", "80:80"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    address = default_of(proxy["networks"]["default"]["ipv4_address"])
    trusted = default_of(environment(SERVICES["api"])["MOTCUA_FORWARDED_ALLOW_IPS"])
    assert trusted == address
    subnet = default_of(COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"])
    assert ipaddress.ip_address(address) in ipaddress.ip_network(subnet)
    caddy = CADDYFILE.read_text()
    assert "name api" in caddy and "port 8000" in caddy and "fail_duration" in caddy
    assert environment(SERVICES["api"])["MOTCUA_ADMIN_COOKIE_SECURE"] == "true"


def test_the_env_example_names_only_real_settings_and_loads() -> None:
    names = re.findall(r"^#?\s*(MOTCUA_[A-Z_]+)=", ENV_EXAMPLE.read_text(), flags=re.M)
    assert {"MOTCUA_ADMIN_PASSWORD", "MOTCUA_HOTLINE", "MOTCUA_TELEGRAM_BOT_TOKEN"} <= set(names)
    check_settings_names(names)
    settings = Settings(_env_file=ENV_EXAMPLE)  # the uncommented lines parse as they are
    assert settings.hotline == "1900 0000"
    assert settings.admin_password is None


def test_the_env_example_offers_every_setting_the_channel_guide_asks_for() -> None:
    guide = (DOCKER.parent / "docs" / "channels.md").read_text()
    asked = set(re.findall(r"^\s*(MOTCUA_[A-Z_]+)=", guide, flags=re.M))
    offered = set(re.findall(r"^#?\s*(MOTCUA_[A-Z_]+)=", ENV_EXAMPLE.read_text(), flags=re.M))
    assert {"MOTCUA_ZALO_APP_SECRET_KEY", "MOTCUA_TELEGRAM_WEBHOOK_SECRET"} <= asked
    assert asked <= offered, f"docs/channels.md asks for {sorted(asked - offered)}"


def test_the_channel_guide_writes_commands_as_the_readme_does() -> None:
    """Commands to type on the host are `.venv/bin/motcua …`, as in the README; a bare `motcua`
    runs only inside the image (a `docker compose … run` line)."""
    guide = (DOCKER.parent / "docs" / "channels.md").read_text()
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", guide, flags=re.S)
    typed = [line.strip() for block in blocks for line in block.splitlines()]
    bare = [line for line in typed if line.startswith("motcua ")]
    assert not bare, bare
