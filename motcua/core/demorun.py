"""The demo's helper services (simulators of national systems) and the ports they listen on.

Each app's `demo.PROCESSES` lists `DemoProcess` entries. A helper that serves HTTP listens on the demo's
own port plus a fixed offset (8112 -> 18112, 28112), so two demos started with different ports never
collide, and the web server, the worker and the scheduler are all told the helper's address through the
setting named in `url_env` (unless that variable is set explicitly).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from motcua.env import env_is_set, env_str

MAX_PORT = 65535


@dataclass(frozen=True)
class DemoProcess:
    """One helper process: a `motcua` command; with `port_offset`, it serves HTTP on port + offset."""

    command: list[str]
    port_offset: int = 0
    url_env: str = ""  # the setting that tells the platform where this helper answers
    url_path: str = ""  # the path of the endpoint the setting names (e.g. the portal's status API)
    name: str = ""


@dataclass(frozen=True)
class PlannedProcess:
    name: str
    argv: list[str]
    url: str  # "" for helpers without HTTP


def helper_port(web_port: int, offset: int) -> int:
    port = web_port + offset
    if port > MAX_PORT:
        raise ValueError(
            f"the demo port {web_port} leaves no room for its helper services (port + {offset} > {MAX_PORT})"
        )
    return port


def plan(
    processes: list[DemoProcess], web_port: int, host: str = "127.0.0.1"
) -> tuple[list[PlannedProcess], dict[str, str]]:
    """The helpers' command lines and the environment every demo process shares."""
    environment: dict[str, str] = {"PORT": str(web_port)}
    if not env_is_set("MOTCUA_PUBLIC_URL"):
        environment["MOTCUA_PUBLIC_URL"] = f"http://{host}:{web_port}"
    planned: list[PlannedProcess] = []
    for process in processes:
        name = process.name or process.command[0]
        if not process.port_offset:
            planned.append(PlannedProcess(name, list(process.command), ""))
            continue
        if process.url_env and env_is_set(process.url_env):
            url = env_str(process.url_env)
            port = urlparse(url).port or helper_port(web_port, process.port_offset)
        else:
            port = helper_port(web_port, process.port_offset)
            url = f"http://{host}:{port}{process.url_path}"
            if process.url_env:
                environment[process.url_env] = url
        argv = [*process.command, "--host", host, "--port", str(port)]
        planned.append(PlannedProcess(name, argv, url))
    return planned, environment
