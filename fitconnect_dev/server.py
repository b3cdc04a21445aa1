"""Command line of the local FIT-Connect test server (Zustelldienst).

    python -m fitconnect_dev.server init --state DIR [--service 99115005000000="Meldebescheinigung erteilen" ...]
    python -m fitconnect_dev.server --host 127.0.0.1 --port 8766 --state DIR

``init`` writes the test CA, the demo destination and the client credentials (see
:mod:`fitconnect_dev.bootstrap`) and prints ``config.json``; serving needs an initialised
directory (``--init`` initialises first if needed). The server is Werkzeug's threaded WSGI
server: fine for development and tests, never for production.
"""

import argparse
import json
import logging
import sys

from werkzeug.serving import make_server

from fitconnect_dev.api import app_create
from fitconnect_dev.bootstrap import NotInitialised, state_init

__all__ = ["main"]


def _services(values: list[str] | None) -> dict[str, str] | None:
    if not values:
        return None
    services = {}
    for value in values:
        key, sep, name = value.partition("=")
        if not sep or not key.isdigit() or len(key) != 14 or not name.strip():
            raise SystemExit(f"--service erwartet LEIKA=Name mit 14-stelligem LeiKa-Schlüssel, nicht {value!r}")
        services[key] = name.strip()
    return services


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["init"]:
        parser = argparse.ArgumentParser(prog="python -m fitconnect_dev.server init")
        parser.add_argument("--state", required=True, help="state directory")
        parser.add_argument("--service", action="append", metavar="LEIKA=NAME",
                            help="a service of the demo destination (repeatable)")
        args = parser.parse_args(argv[1:])
        config, created = state_init(args.state, services=_services(args.service))
        print(("initialised " if created else "already initialised ") + args.state, file=sys.stderr)
        print(json.dumps({k: v for k, v in config.items() if k not in ("sender", "subscriber")}, indent=2))
        return 0

    parser = argparse.ArgumentParser(prog="python -m fitconnect_dev.server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--state", required=True, help="state directory (see `init`)")
    parser.add_argument("--init", action="store_true", help="initialise the state directory first if needed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="fitconnect-dev %(levelname)s %(name)s: %(message)s")
    if args.init:
        state_init(args.state)
    try:
        app = app_create(args.state)
    except NotInitialised as exc:
        print(exc, file=sys.stderr)
        return 2
    server = make_server(args.host, args.port, app, threaded=True)
    print(f"FIT-Connect test server on http://{args.host}:{server.port}/ (state {args.state})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
