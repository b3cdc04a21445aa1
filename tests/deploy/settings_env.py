"""The environment variables the settings read, found in their source (no hand-kept list).

`config/settings.py` and `config/storage.py` read the environment in three shapes: `env.<cast>(
"NAME", default=…)` (also `env.db_url`, `env.email_url`), `env_overrides({key: ("NAME", cast)})`
and `os.environ`. They are parsed with `ast`, so a variable added to the settings is known here
at once. A variable must be set in production when its default only makes sense on a developer's
machine (it names 127.0.0.1/localhost, a placeholder key or address, the console mail backend, or
a directory under the checkout's `var/`), plus the few below whose default is derived and must
not be in production.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "config" / name for name in ("settings.py", "storage.py", "databases.py", "redis_ha.py")]

#: Text in a default's source that means "this machine only".
DEV_ONLY_MARKERS = ("127.0.0.1", "localhost", "dev-only", "example.invalid", "consolemail://", "'var'")

#: Defaults that work but are wrong in production, with the reason.
MUST_SET_IN_PRODUCTION = {
    # Empty means a key derived from SECRET_KEY: rotating that would invalidate every card.
    "SOZIALCARD_CARD_HASH_KEY": "services/sozialcard/conf.py: set apart from SECRET_KEY",
    # Empty means no proxy is believed: behind nginx/an ingress every client would be the proxy,
    # and one lockout or rate limit would hit everybody (config/client_ip.py).
    "TRUSTED_PROXIES": "config/client_ip.py: the proxy in front of gunicorn",
    # gunicorn's workers and the worker processes share their metrics only through it (health.metrics).
    "PROMETHEUS_MULTIPROC_DIR": "health/metrics.py: metrics of all processes of a container",
}

#: Read by the processes the images run, not by the settings (gunicorn's worker count).
PROCESS_VARIABLES = {"WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR"}



def settings_variables() -> dict[str, str | None]:
    """{variable: source text of its default, or None when it has none in the settings}."""
    found: dict[str, str | None] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "env" \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                default = next((ast.unparse(k.value) for k in node.keywords if k.arg == "default"), None)
                found.setdefault(node.args[0].value, default)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "env_overrides":
                for value in node.args[0].values:
                    found.setdefault(value.elts[0].value, None)
    return found


def production_required() -> dict[str, str]:
    """{variable: why it must be set in production}."""
    required = {name: f"default {default} is for a developer's machine"
                for name, default in settings_variables().items()
                if default is not None and any(marker in default for marker in DEV_ONLY_MARKERS)}
    return required | MUST_SET_IN_PRODUCTION


def known_variables() -> set[str]:
    """Every variable a deployment may set for the app's containers."""
    return set(settings_variables()) | PROCESS_VARIABLES


def image_env(stage: str = "app") -> dict[str, str]:
    """The `ENV` of one Dockerfile stage (`ENV A=1 B=2`, continued lines): what every container
    of that image has before compose or Kubernetes add theirs."""
    import shlex

    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    current = None
    for line in text.splitlines():
        words = line.split()
        if words[:1] == ["FROM"]:
            current = words[-1] if "AS" in words else None
        elif words[:1] == ["ENV"] and current == stage:
            env.update(word.split("=", 1) for word in shlex.split(line)[1:])
    return env
