"""The response for a private file (photo original, case attachment, open-data upload), given
by a view only after it has checked that the requester may see the file.

On the local disk the view streams the file. On object storage it redirects to a presigned
URL of the private bucket, valid for `S3_PRIVATE_URL_TTL` seconds (config.storage) and
carrying the response headers we would have sent (media type, download name, no caching),
so the file never goes through the web node and no one can reach it without that URL.
"""
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponseRedirect

from .storage import storage_is_local

__all__ = ["private_file_response"]


def private_file_response(file, *, content_type: str, filename: str = "", as_attachment: bool = False,
                          headers: dict | None = None):
    """A streamed FileResponse (local disk) or a redirect to a presigned URL (object storage)
    for the FieldFile `file`; Http404 if it has no file or the file is missing on disk.

    `headers` are added to a streamed response (for example an ETag or a sandboxing CSP); a
    presigned download carries the media type, disposition and Cache-Control only.
    """
    if not file or not file.name:
        raise Http404
    storage = file.storage
    if storage_is_local(storage):
        try:
            handle = storage.open(file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
        for key, value in (headers or {}).items():
            response[key] = value
    else:
        parameters = {"ResponseContentType": content_type, "ResponseCacheControl": "private, no-store"}
        if filename or as_attachment:
            parameters["ResponseContentDisposition"] = _disposition(
                "attachment" if as_attachment else "inline", filename or file.name.rsplit("/", 1)[-1])
        response = HttpResponseRedirect(storage.url(file.name, parameters=parameters))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _disposition(kind: str, filename: str) -> str:
    # RFC 6266: an ASCII fallback plus the UTF-8 name (RFC 8187).
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("?", "_")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
