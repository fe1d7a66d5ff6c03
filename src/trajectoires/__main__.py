"""The `trajectoires` command.

trajectoires serve [--production] [--host H] [--port P]
trajectoires demo            load the demo alliance (idempotent)
trajectoires geo import      load the geography snapshot (idempotent)
trajectoires bench           measure speed (see docs/testing.md)
trajectoires <command>       any Django management command (migrate, territory, …)
"""

import argparse
import os
import sys


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="trajectoires serve")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--production", action="store_true", help="serve with gunicorn")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    args = parser.parse_args(argv)
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
