"""Serving a private attachment as a download (never inline: no stored file is rendered by
the browser as a page); streamed from the disk or presigned on object storage
(`config.private_files`)."""
from config.private_files import private_file_response

__all__ = ["attachment_response"]


def attachment_response(attachment):
    return private_file_response(attachment.file, content_type=attachment.content_type, as_attachment=True,
                                 filename=attachment.original_name,
                                 headers={"Content-Security-Policy": "default-src 'none'; sandbox"})
