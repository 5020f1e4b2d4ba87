"""How the toolkit's commands stop (the preview, ``make build``, ``build_pdfs.py``): SIGTERM (``kill``, a process manager) and SIGHUP (a closing
terminal) stop them as Ctrl-C (SIGINT) does, by raising :class:`KeyboardInterrupt`, so their
clean-up code and exit functions run (temporary folders removed, helper processes stopped)
instead of the process ending on the spot; and once a process is stopping, a second signal
(Ctrl-C pressed twice, or the preview passing Ctrl-C on to its generator's server after the
terminal already did) does not interrupt its clean-up (:func:`ignored`). A helper process can
also stop when the process that started it has ended (:func:`stop_with_parent`)."""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import sys
import time

#: The signals that stop a preview process (those the platform has).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def stop_on_signals() -> None:
    """Make each of :data:`STOP_SIGNALS` raise :class:`KeyboardInterrupt` in the main thread.
    Only possible from the main thread; elsewhere nothing changes."""
    def interrupt(signum, frame):  # noqa: ARG001 - the signal module's signature
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        for sig in STOP_SIGNALS:
            signal.signal(sig, interrupt)


@contextlib.contextmanager
def ignored():
    """Ignore :data:`STOP_SIGNALS` in the block (clean-up that must finish once it has
    started), then put the previous handlers back: the process stays stoppable afterwards,
    and the processes it starts later do not inherit ignored signals (an ignored SIGTERM is
    kept across ``exec``, and a worker that ignores it cannot be stopped). Only possible from
    the main thread; elsewhere the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)


def stop_with_parent(interval: float = 1.0) -> None:
    """Stop this process (SIGTERM to itself, see :func:`stop_on_signals`) when the process that
    started it has ended (killed outright, it could not stop its helpers): checked every
    ``interval`` seconds by a daemon thread."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="stop-with-parent", daemon=True).start()


def while_starting() -> None:
    """For a command's first lines: until :func:`started`, Ctrl-C (SIGINT) ends the process
    with the shells' Ctrl-C code, 130, and "Stopped." instead of a Python traceback from the
    middle of an import (nothing has been read or written yet). Only from the main thread."""
    def stop(signum, frame):  # noqa: ARG001 - the signal module's signature
        print("\nStopped.", file=sys.stderr)
        raise SystemExit(130)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, stop)


def started() -> None:
    """The command's own handling of Ctrl-C starts: every one of :data:`STOP_SIGNALS` raises
    :class:`KeyboardInterrupt` (for SIGINT that is Python's default), which the command
    catches where it can clean up. (SIGTERM used to end a build on the spot, leaving its
    temporary folders, some 28 MB, beside the site.)"""
    stop_on_signals()
