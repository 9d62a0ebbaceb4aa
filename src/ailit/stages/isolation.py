"""Kernels with no network: started in a network namespace of their own where the OS allows.

The kernel talks to ailit over Unix sockets (ZeroMQ's ``ipc`` transport), which a network
namespace does not cut; TCP to anywhere, loopback included, fails inside it. Whether the
machine allows it (util-linux ``unshare``, user namespaces or root) is found out once per
process; where it does not, kernels run with the machine's network and one warning says so.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
import weakref
from typing import Any

from jupyter_client.manager import AsyncKernelManager

#: how to start a program without network, most to least general
_PREFIXES = (["unshare", "--net", "--map-root-user"], ["unshare", "--net"])


@functools.cache
def network_prefix() -> tuple[str, ...]:
    """The command that starts a program in an empty network namespace here, or () with a
    warning line when this machine cannot."""
    if shutil.which("unshare") is not None:
        for prefix in _PREFIXES:
            try:
                done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
            except (OSError, subprocess.SubprocessError):
                continue
            if done.returncode == 0:
                return tuple(prefix)
    sys.stderr.write(
        "warning: notebooks run with network access: this machine does not allow "
        "'unshare --net' (util-linux, user namespaces)\n"
    )
    return ()


class IsolatedKernel(AsyncKernelManager):
    """A kernel manager whose kernel has no network and listens on Unix sockets."""

    def __init__(self, **kwargs: Any):
        sockets = tempfile.mkdtemp(prefix="ailit-kernel-")  # not the notebook's folder
        weakref.finalize(self, shutil.rmtree, sockets, ignore_errors=True)
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", os.path.join(sockets, "kernel"))
        super().__init__(**kwargs)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return [*network_prefix(), *super().format_kernel_cmd(extra_arguments)]
