"""`manage.py build_basemap_glyphs` — generate the label glyphs the basemap style asks for.

For every font of `BASEMAP["FONTS"]` (stack name → .ttf) it runs `scripts/build_glyphs.js`
(fontnik from npm) into `BASEMAP["GLYPHS_DIR"]/<stack name>/<start>-<end>.pbf`. Idempotent:
a font whose glyphs were built from the same file (size and modification time, noted in
`.source`) is skipped. `--ranges 0-255 256-511` builds only those blocks (tests).
"""
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from basemap.conf import basemap_setting


class Command(BaseCommand):
    help = "Generate the basemap's glyph PBFs (SDF) from the configured fonts with fontnik."

    def add_arguments(self, parser):
        parser.add_argument("--ranges", nargs="*", default=[], help="only these blocks, e.g. 0-255 8192-8447")
        parser.add_argument("--force", action="store_true", help="rebuild even if up to date")

    def handle(self, *args, ranges, force, **options):
        node = shutil.which("node")
        script = Path(settings.BASE_DIR) / "scripts" / "build_glyphs.js"
        if node is None:
            raise CommandError("node is not installed (scripts/setup.sh installs it)")
        root = Path(basemap_setting("GLYPHS_DIR"))
        for stack, font in basemap_setting("FONTS").items():
            font = Path(font)
            if not font.is_file():
                raise CommandError(f"font file {font} for {stack!r} is missing (Debian: fonts-dejavu-core)")
            out = root / stack
            stat = font.stat()
            stamp = f"{font} {stat.st_size} {int(stat.st_mtime)} {' '.join(ranges) or 'all'}\n"
            marker = out / ".source"
            if not force and marker.is_file() and marker.read_text() == stamp:
                self.stdout.write(f"{stack}: up to date")
                continue
            result = subprocess.run([node, str(script), str(font), str(out), *ranges], capture_output=True,
                                    text=True, cwd=settings.BASE_DIR, timeout=600)
            if result.returncode:
                raise CommandError(f"glyphs for {stack!r} failed: {result.stderr.strip()}")
            marker.write_text(stamp)
            self.stdout.write(f"{stack}: {len(list(out.glob('*.pbf')))} glyph blocks in {out}")
