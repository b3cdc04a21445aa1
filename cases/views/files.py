"""Serving a private attachment as a download (never inline: no stored file is rendered by
the browser as a page)."""
from django.http import FileResponse

__all__ = ["attachment_response"]


def attachment_response(attachment) -> FileResponse:
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
