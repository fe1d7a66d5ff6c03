"""The `trajectoires` command.

trajectoires serve [--production] [--host H] [--port P] [--no-worker]
                             serve the site; except in production, the background-task worker runs beside it
trajectoires db_worker       run background tasks (its own service in production)
trajectoires demo            load the demo alliance (idempotent)
trajectoires geo import      load the geography snapshot (idempotent)
trajectoires bench           measure speed (see docs/testing.md)
trajectoires <command>       any Django management command (migrate, territory, …)
"""

import argparse
import atexit
import os
import signal
import subprocess
import sys


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="trajectoires serve")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--production", action="store_true", help="serve with gunicorn")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--no-worker", action="store_true", help="do not start the background-task worker")
    args = parser.parse_args(argv)
    if not (args.no_worker or args.production):  # in production the worker is its own service
        _start_task_worker()
    if args.production:
        os.execvp(  # noqa: S606 — replaces this process with gunicorn, arguments are ours
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "trajectoires.config.wsgi:application",
                "--bind",
                f"{args.host}:{args.port}",
                "--workers",
                str(args.workers),
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ],
        )
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trajectoires", "runserver", f"{args.host}:{args.port}", "--noreload"])


def _start_task_worker() -> None:
    """Run `db_worker` as a child process, stopped when the server stops (its log goes with ours)."""
    worker = subprocess.Popen([sys.executable, "-m", "trajectoires", "db_worker", "--interval", "0.5"])
    atexit.register(worker.terminate)
    # A server replaced by gunicorn (exec) or stopped by a signal still stops its worker.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: (worker.terminate(), sys.exit(0)))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trajectoires.config.settings")
    if argv[:1] == ["serve"]:
        serve(argv[1:])
        return
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        if not argv:
            return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["trajectoires", *argv])


if __name__ == "__main__":
    main()
