"""The PDF workers' server (``build_pdfs.WORKER_PRELOAD``, imported first): how it starts and
ends.

* From now on it ignores Ctrl-C (SIGINT). The terminal sends Ctrl-C to every process of the
  command, the server included. Once it is serving, multiprocessing's forkserver ignores SIGINT
  itself; but while it imports WeasyPrint and warms it up (:mod:`macros.pdf_warm`, about a
  second) it does not, and a Ctrl-C then made it print a traceback. The command that started
  it stops it, and the workers it forks inherit the setting (multiprocessing restores the
  handlers the server had before it started serving), so the command stops them too.
* It never ignores SIGTERM, with which a pool stops its workers, even when the command was
  started with SIGTERM ignored (ignored signals stay ignored across ``exec``).
* A worker that fails as it starts because the command is stopping prints nothing
  (:func:`_quiet_once_the_command_has_stopped`).
* When it exits, after the exit functions registered later (they run first: :mod:`macros.pdf`
  frees the fonts, which removes WeasyPrint's temporary folder), it ends at once, without the
  interpreter's own teardown of the objects it holds (~0.2 s, which the command that waits for
  it at its end, ``build_pdfs._stop_workers_server``, would wait for).
"""
import atexit
import os
import signal
import sys

signal.signal(signal.SIGINT, signal.SIG_IGN)
# The pool stops its workers with SIGTERM: never ignored here, even if the command that
# started the server was started with SIGTERM ignored (dispositions survive exec).
signal.signal(signal.SIGTERM, signal.SIG_DFL)
# The command blocked Ctrl-C while it started this process (build_pdfs.start_workers_early),
# so one pressed while Python started here is pending: now it is ignored.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _quiet_once_the_command_has_stopped(kind, value, traceback) -> None:
    """``sys.excepthook`` of the server and of the workers it forks. A worker that fails while
    it starts because the command that asked for it is stopping (stopped with Ctrl-C, its
    semaphores already removed: ``FileNotFoundError`` in ``SemLock._rebuild``, from
    ``multiprocessing/synchronize.py``) has no one to report to: it says nothing. Anything
    else is printed as usual."""
    innermost = traceback
    while innermost is not None and innermost.tb_next is not None:
        innermost = innermost.tb_next
    where = innermost.tb_frame.f_code.co_filename if innermost is not None else ""
    if issubclass(kind, FileNotFoundError) and where.endswith("synchronize.py"):
        return
    sys.__excepthook__(kind, value, traceback)


sys.excepthook = _quiet_once_the_command_has_stopped


def _end_now() -> None:
    """The last exit function: flush the output and end the process."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(0)


atexit.register(_end_now)
