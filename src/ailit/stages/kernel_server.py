"""A pre-started Python that forks one fresh kernel per notebook: the imports are paid once.

Run as ``python -c <this file's text> <socket fd> <module>...`` with the interpreter and the
environment of the kernel, in the kernel's network namespace; it imports nothing of ailit, so
a kernel holds no more than a kernel started by ``python -m ipykernel_launcher`` would. It
imports the named modules (never opening a file a kernel could share), then for each request
on the socket forks a child that becomes ``ipykernel_launcher`` in a new session, with the
request's folder, environment and arguments, and answers with the child's pid and a pidfd.
Every notebook so starts in a new process: nothing one defines, imports or changes is seen by
the next. The server ends when the socket closes.
"""

import sys

if __name__ == "__main__" and sys.path[:1] == [""]:
    del sys.path[0]  # the folder, from -c: each kernel's path is made as -m makes it

import atexit
import contextlib
import gc
import importlib
import json
import os
import runpy
import select
import signal
import socket


def _reap() -> None:
    """Collect the kernels that ended, so none stays a zombie."""
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_kernel(request: dict, channel: socket.socket, base_path: list) -> None:
    """In the child: what ``python -m ipykernel_launcher <args>`` in ``cwd`` would be."""
    channel.close()
    os.setsid()  # a process group of its own: signals reach the kernel and what it starts
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    if request.get("quiet"):
        os.dup2(null, 2)
    os.close(null)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if "JPY_PARENT_PID" in os.environ:  # the kernel ends when its parent, this server, does
        os.environ["JPY_PARENT_PID"] = str(os.getppid())
    sys.path[:] = [os.getcwd(), *base_path]  # -m puts the folder first; the launcher drops it
    sys.argv[:] = ["-m", *request["args"]]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


def main() -> None:
    """Warm up, then fork a kernel per request until the socket closes."""
    channel = socket.socket(fileno=int(sys.argv[1]))
    base_path = list(sys.path)
    if not os.environ.get("MPLBACKEND"):  # what ipykernel sets before a notebook runs
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    for name in sys.argv[2:]:
        with contextlib.suppress(Exception):  # a kernel without it imports it itself
            importlib.import_module(name)
    sys.path[:] = base_path
    gc.collect()
    gc.freeze()  # the warm objects stay out of each kernel's collections: fewer copied pages
    reader = channel.makefile("rb")
    while True:
        ready, _, _ = select.select([channel], [], [], 1.0)
        _reap()
        if not ready:
            continue
        line = reader.readline()
        if not line:
            return
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                _become_kernel(request, channel, base_path)
                code = 0
            except SystemExit as stop:  # how a kernel ends when asked to shut down
                code = stop.code if isinstance(stop.code, int) else 1
            finally:
                atexit._run_exitfuncs()  # what the interpreter does at a normal exit
                for stream in (sys.stdout, sys.stderr):
                    with contextlib.suppress(Exception):
                        stream.flush()
                os._exit(code)
        pidfd = os.pidfd_open(pid)
        socket.send_fds(channel, [json.dumps({"pid": pid}).encode() + b"\n"], [pidfd])
        os.close(pidfd)


if __name__ == "__main__":
    main()
