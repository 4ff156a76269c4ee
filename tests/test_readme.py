"""Every command and query in README.md runs: the curl examples against the demo app (the demo
tenants seeded, the demo header on loopback, logins with the demo accounts), every GraphQL block,
and every `zhibu …` command it names exists."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from core.app import _default_resolver, create_app
from tenants.demo.command import demo_principal_resolver
from tenants.demo.seed import DEMO_TENANTS, seed_demo
from tests.support import unique_slug

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def curl_commands() -> list[str]:
    """The curl commands of the README's sh blocks, continuation lines joined, in order."""
    commands = []
    for block in shell_blocks():
        for command in block.replace("\\\n", " ").splitlines():
            if "curl " in command:
                commands.append(command.strip())
    return commands


def parse_curl(command: str) -> tuple[str | None, str, dict[str, str], str]:
    """(variable it assigns, url, headers, body) of ``[VAR=$(]curl URL -H … -d '…' [| …)]``."""
    variable = None
    match = re.match(r"^(\w+)=\$\((.*)\)$", command)
    if match:
        variable, command = match.group(1), match.group(2)
    command = command.split(" | ", 1)[0]
    words = shlex.split(command)
    assert words[0] == "curl", command
    url, headers, body = "", {}, ""
    index = 1
    while index < len(words):
        word = words[index]
        if word == "-H":
            name, _, value = words[index + 1].partition(":")
            headers[name.strip().lower()] = value.strip()
            index += 2
        elif word == "-d":
            body = words[index + 1]
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            url = word
            index += 1
    return variable, url, headers, body


@pytest.fixture(scope="module")
async def demo():
    """The demo app over freshly seeded demo tenants (their slugs carry a suffix)."""
    suffix = "-" + unique_slug("readme")
    await seed_demo(suffix)
    app = create_app(
        manage_db=False,
        listen_policies=False,
        development=True,
        principal_resolver=demo_principal_resolver(_default_resolver()),
    )
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        yield client, suffix


def with_suffix(text: str, suffix: str) -> str:
    for tenant in DEMO_TENANTS:
        text = re.sub(rf"\b{re.escape(tenant.slug)}\b(?!-)", tenant.slug + suffix, text)
    return text


def assert_clean(body: dict, what: str) -> None:
    assert not body.get("errors"), (what[:120], body.get("errors"))
    for name, value in (body.get("data") or {}).items():
        if isinstance(value, dict) and value.get("errors"):
            raise AssertionError((what[:120], name, value["errors"]))


async def test_every_curl_example_answers_without_errors(demo):
    client, suffix = demo
    commands = curl_commands()
    assert len(commands) >= 3, commands
    variables: dict[str, str] = {}
    for command in commands:
        variable, url, headers, body = parse_curl(command)
        for name, value in variables.items():
            headers = {k: v.replace(f"${name}", value) for k, v in headers.items()}
        assert url == "http://127.0.0.1:8000/graphql", url
        response = await client.post(
            "/graphql",
            content=with_suffix(body, suffix).encode(),
            headers={k: with_suffix(v, suffix) for k, v in headers.items()},
        )
        assert response.status_code == 200, (command[:120], response.text[:300])
        answer = response.json()
        assert_clean(answer, command)
        if variable:  # TOKEN=$(curl … login … | python3 -c '… accessToken …')
            variables[variable] = answer["data"]["login"]["accessToken"]
            assert variables[variable]


async def test_every_graphql_block_runs_for_the_demo_administrator(demo):
    client, suffix = demo
    blocks = re.findall(r"```graphql\n(.*?)```", README, flags=re.S)
    for block in blocks:
        response = await client.post(
            "/graphql", json={"query": block}, headers={"x-demo-tenant": f"demo-rural{suffix}"}
        )
        assert_clean(response.json(), block)


def test_every_zhibu_command_named_exists():
    named = set(re.findall(r"`zhibu ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)", README))
    assert {"demo", "migrate", "serve"} <= {words.split()[0] for words in named}, named
    for words in sorted(named):
        args = words.split()
        done = subprocess.run(
            [sys.executable, "-m", "core.cli", *args, "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0 and len(args) == 2:  # "zhibu tenant create", or a word of prose after
            done = subprocess.run(
                [sys.executable, "-m", "core.cli", args[0], "--help"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
            )
        assert done.returncode == 0, (words, done.stderr[-300:])


def test_the_two_commands_are_the_makefile_targets_ci_runs():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make demo" in README and "make test" in README
    assert re.search(r"^demo:.*\n\t\$\(BIN\)/zhibu demo", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    json.dumps(shell_blocks())  # the blocks are plain text
