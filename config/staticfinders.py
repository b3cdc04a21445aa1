"""A static-files finder for single files of npm packages (settings.STATICFILES_FILES).

Django's finders collect whole directories. OpenLayers' browser build is `ol/dist/ol.js`
(beside its source map and type declarations), but its stylesheet lies in the package root
(`ol/ol.css`) among some thousand ES module sources (16 MB) that no page loads. This finder
collects the named files only, each under a prefix of ours, as STATICFILES_DIRS does for
directories: `("vendor/ol", BASE_DIR / "node_modules/ol/ol.css")` is `vendor/ol/ol.css`.
"""
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core import checks
from django.core.files.storage import FileSystemStorage

__all__ = ["SingleFileFinder"]


class SingleFileFinder(BaseFinder):
    """Finds and lists the files of settings.STATICFILES_FILES, a list of (prefix, file)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.files = {f"{prefix}/{Path(source).name}": Path(source)
                      for prefix, source in getattr(settings, "STATICFILES_FILES", ())}

    def check(self, **kwargs):
        return [checks.Error(f"The static file {path!r} has no source: {source} does not exist.",
                             hint="Install the npm packages (scripts/setup.sh).", id="config.E301")
                for path, source in self.files.items() if not source.is_file()]

    def find(self, path, find_all=False, **kwargs):
        source = self.files.get(path)
        if source is None or not source.is_file():
            return []  # "nothing", as Django's finders answer it
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for path, source in self.files.items():
            if source.is_file():
                storage = FileSystemStorage(location=source.parent)
                storage.prefix = path.rsplit("/", 1)[0]  # collectstatic writes to <prefix>/<name>
                yield source.name, storage
