"""Kernels forked from one pre-started Python per build process, instead of a Python each.

A fresh ``python -m ipykernel_launcher`` spends most of a short notebook's time importing
IPython, NumPy and Matplotlib. Here a server (stages/kernel_server.py) started once, with
the kernel's interpreter, environment and network namespace, has imported them; each
notebook's kernel is a fork of it, a new process as before: nothing leaks from one notebook
to the next. Where the kernel command is not a plain ipykernel launch, or the OS has no
pidfds, kernels start as before.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from ailit.stages.isolation import IsolatedKernel, network_prefix

#: imported by the server before it forks: what every notebook's kernel and plots load
#: (not pyplot: importing it inside the kernel is what hooks figures into the page)
WARM = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.core.pylabtools",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "numpy",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.style",
    "matplotlib.backends.backend_agg",
)
_SERVER = Path(__file__).with_name("kernel_server.py")
_LAUNCHER = ["-m", "ipykernel_launcher"]


class ForkedProcess:
    """The parts of ``subprocess.Popen`` jupyter_client uses, for a kernel that is not our
    child: watched and signalled through its pidfd (no pid reuse can misdirect a signal)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int):
        self.pid = pid
        self._pidfd = pidfd
        self.returncode: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs."""
        if self.returncode is None and select.select([self._pidfd], [], [], 0)[0]:
            self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Block until the kernel has ended."""
        if self.returncode is None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            self._ended()
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Signal the kernel, if it still runs."""
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _ended(self) -> None:
        self.returncode = 0  # the server reaps it: the status is not ours to read
        os.close(self._pidfd)


class KernelServer:
    """One running kernel_server.py and the socket it listens on."""

    def __init__(self, python: list[str], env: dict[str, str]):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [*python, "-c", _SERVER.read_text(encoding="utf-8"), str(theirs.fileno()), *WARM],
            env=env,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=[theirs.fileno()],
            start_new_session=True,
        )
        theirs.close()
        self.channel = ours
        self.lock = threading.Lock()

    def fork(self, args: list[str], cwd: str, env: dict[str, str], quiet: bool) -> ForkedProcess:
        """A new kernel process running ``ipykernel_launcher args`` in ``cwd``."""
        request = {"args": args, "cwd": cwd, "env": env, "quiet": quiet}
        with self.lock:
            self.channel.sendall(json.dumps(request).encode() + b"\n")
            message, fds, _flags, _addr = socket.recv_fds(self.channel, 4096, 1)
        if not fds:
            raise OSError("the kernel server stopped")
        return ForkedProcess(json.loads(message)["pid"], fds[0])

    def close(self) -> None:
        """Closing the socket ends the server; the kernels it forked end with their clients."""
        self.channel.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


_servers: dict[str, KernelServer] = {}
_lock = threading.Lock()


def _server(python: list[str], env: dict[str, str]) -> KernelServer:
    """The server for this interpreter and environment, started on first use."""
    settled = {k: v for k, v in env.items() if not k.startswith("JPY_")}  # per kernel
    key = json.dumps([python, sorted(settled.items())])
    with _lock:
        server = _servers.get(key)
        if server is not None and server.process.poll() is not None:
            server.close()  # it ended (killed?): another takes its place
            server = None
        if server is None:
            server = _servers[key] = KernelServer(python, env)
        return server


def _forget(server: KernelServer) -> None:
    """Stop using a server that failed."""
    with _lock:
        for key, kept in list(_servers.items()):
            if kept is server:
                del _servers[key]
    with contextlib.suppress(OSError):
        server.close()


@atexit.register
def _close_servers() -> None:
    for server in _servers.values():
        server.close()
    _servers.clear()


def forkable(cmd: list[str], prefix: tuple[str, ...]) -> bool:
    """Whether ``cmd`` is ``[*prefix, python, -m, ipykernel_launcher, ...]`` on a system with
    pidfds, the launch a fork of the server stands in for."""
    rest = cmd[len(prefix) :]
    return (
        hasattr(os, "pidfd_open")
        and hasattr(socket, "send_fds")
        and tuple(cmd[: len(prefix)]) == prefix
        and rest[1:3] == _LAUNCHER
    )


class ForkingProvisioner(LocalProvisioner):
    """Launches the kernel as a fork of the server, where the command allows."""

    prefix: tuple[str, ...] = ()

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        if not forkable(cmd, self.prefix):
            return await super().launch_kernel(cmd, **kwargs)
        python = cmd[: len(self.prefix) + 1]
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        quiet = kwargs.get("stderr") == subprocess.DEVNULL
        args = cmd[len(self.prefix) + 3 :]
        loop = asyncio.get_running_loop()
        for _attempt in (1, 2):  # a server that died (killed?) is replaced once
            server = _server(python, env)
            try:
                process = await loop.run_in_executor(None, server.fork, args, cwd, env, quiet)
                break
            except OSError:
                _forget(server)
        else:  # no server works with this interpreter: start the kernel as before
            return await super().launch_kernel(cmd, **kwargs)
        self.process = process  # type: ignore[assignment]  # Popen's part jupyter_client uses
        self.pid = self.pgid = process.pid  # the child called setsid()
        self.cwd = cwd
        return self.connection_info

    async def send_signal(self, signum: int) -> None:
        """To the kernel's process group, as LocalProvisioner does, but only while it runs."""
        process = self.process
        if isinstance(process, ForkedProcess):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signum)
            return
        await super().send_signal(signum)

    async def wait(self) -> int | None:
        """As LocalProvisioner, with a shorter poll: a build waits for each kernel's end."""
        while isinstance(self.process, ForkedProcess) and await self.poll() is None:
            await asyncio.sleep(0.01)
        return await super().wait()


class ReadyClient(AsyncKernelClient):
    """A client that takes the kernel as ready once it answered on shell and IOPub, as
    jupyter_client does, without then waiting for 0.2 s of IOPub silence: nbclient reads
    only the messages that answer its own requests."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if reply["msg_type"] == "kernel_info_reply":
                    try:  # IOPub connected too (or start over)
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(reply)
                        return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")


class PooledKernel(IsolatedKernel):
    """An isolated kernel (no network) forked from the server of this build process."""

    client_factory = ReadyClient

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkingProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
            self.provisioner.prefix = network_prefix()
        return await super()._async_pre_start_kernel(**kw)

    async def _async_finish_shutdown(
        self, waittime: float | None = None, pollinterval: float = 0.1, restart: bool = False
    ) -> None:
        """As jupyter_client, looking ten times as often whether the kernel has ended."""
        await super()._async_finish_shutdown(waittime, min(pollinterval, 0.01), restart)
