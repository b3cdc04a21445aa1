"""Active content in PDF files: the one check every upload path uses (case attachments,
`cases.attachments`; form uploads, `eforms.uploads`).

A PDF is refused when any of its objects — also inside compressed streams (object streams),
inflated up to `max_inflated` bytes per stream — names /JavaScript, /JS, /AA (automatic
actions), /Launch, /EmbeddedFile(s), /RichMedia or /XFA, or has an /OpenAction that is an
action. An /OpenAction that is a destination array (`/OpenAction [3 0 R /FitH null]`: open at
that page), as most PDF generators write it, is no action and passes. PDF name tokens may
spell characters as #xx (ISO 32000-1, 7.3.5); they are decoded before the check. A stream
larger than the limit once inflated is refused rather than trusted.

Written by hand rather than with a PDF library: the check needs only the names, and a
regular-expression scan of the raw and inflated bytes bounds the memory it takes, which a
full parser reading a hostile file does not.
"""
import re
import zlib

__all__ = ["PDF_MAX_INFLATED_BYTES", "pdf_active_content"]

#: The largest inflated stream looked into (larger: refused as "oversized stream").
PDF_MAX_INFLATED_BYTES = 50 * 1024 * 1024

_ACTIVE = re.compile(rb"/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9])")
# /OpenAction followed by an array: a destination (a page to open at), not an action.
_OPEN_AT_PAGE = re.compile(rb"/OpenAction\s*\[")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def pdf_active_content(content: bytes, *, max_inflated: int = PDF_MAX_INFLATED_BYTES) -> str | None:
    """The first active-content name found in the PDF bytes (e.g. "JavaScript"), or None."""
    texts = [content]
    for match in _STREAM.finditer(content):
        try:
            inflater = zlib.decompressobj()
            inflated = inflater.decompress(match.group(1), max_inflated)
        except zlib.error:
            continue  # not Flate-encoded (images, fonts): no object syntax inside
        if inflater.unconsumed_tail:
            return "oversized stream"
        texts.append(inflated)
    for text in texts:
        decoded = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)
        for found in _ACTIVE.finditer(decoded):
            if found.group(1) == b"OpenAction" and _OPEN_AT_PAGE.match(decoded, found.start()):
                continue
            return found.group(1).decode("ascii")
    return None
