"""Text encodings of uploads: the UTF-8 check of GeoJSON and CSV files (streamed, with the
byte offset of the first bad character), and the encoding of a zipped Shapefile's
attributes (`.cpg`, else the DBF's code page, else UTF-8 if valid, else ISO-8859-1)."""
import codecs
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from ..errors import GeoIngestError

_CHUNK = 1024 * 1024


def _utf8_check(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as fh:
        try:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise GeoIngestError(
                _("Die Datei ist nicht UTF-8-kodiert (ungültiges Zeichen bei Byte %(n)d). Bitte als UTF-8 "
                  "speichern.") % {"n": offset + exc.start}) from exc


def _shapefile_encoding(zip_path: Path, member: str) -> tuple[str, str]:
    """(codec of the strings GDAL returns, encoding of the file) for one Shapefile in a ZIP.

    GDAL recodes to UTF-8 when a `.cpg` or the DBF's language driver id (LDID) names the
    code page; otherwise it returns the bytes unchanged and we detect UTF-8 or Latin-1."""
    stem = member[:-4].lower()
    with zipfile.ZipFile(zip_path) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        cpg = names.get(stem + ".cpg")
        if cpg:
            declared = archive.read(cpg).decode("ascii", "replace").strip()
            return "utf-8", declared or "UTF-8"
        dbf = names.get(stem + ".dbf")
        if dbf is None:
            return "utf-8", "UTF-8"
        with archive.open(dbf) as fh:
            header = fh.read(32)
            if len(header) < 32:
                return "utf-8", "UTF-8"
            if header[29]:
                return "utf-8", f"LDID/{header[29]}"
            fh.read(max(int.from_bytes(header[8:10], "little") - 32, 0))  # field descriptors
            decoder = codecs.getincrementaldecoder("utf-8")()
            try:
                for chunk in iter(lambda: fh.read(_CHUNK), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return "latin-1", "ISO-8859-1"
    return "utf-8", "UTF-8"
