"""Downloads of uploaded resources at CKAN's URL,
`/dataset/<id>/resource/<resource_id>/download/<filename>`.

The file is served only if the dataset is visible to the requester (private datasets:
organisation members with an API token or session; deleted: sysadmins). Files are sent
as attachments with their media type and SHA-256 ETag (on object storage: a redirect to a
short-lived presigned URL, `config.private_files`); a link resource redirects to its
URL, as CKAN's download view does.
"""
from django.http import Http404, HttpResponseRedirect
from django.views.decorators.http import require_http_methods

from config.private_files import private_file_response

from .auth import actor_from_request
from .errors import CatalogueError
from .models import Resource
from .selectors import resource_get_for_read

__all__ = ["resource_download"]


@require_http_methods(["GET", "HEAD"])
def resource_download(request, dataset_id, resource_id, filename: str = ""):
    try:
        resource = resource_get_for_read(actor=actor_from_request(request), resource_id=resource_id)
    except CatalogueError:
        raise Http404 from None
    if resource.package_id != dataset_id:
        raise Http404
    if resource.url_type != Resource.UrlType.UPLOAD:
        if not resource.url:
            raise Http404
        return HttpResponseRedirect(resource.url)
    if not resource.upload:
        raise Http404
    return private_file_response(resource.upload, content_type=resource.mimetype or "application/octet-stream",
                                 as_attachment=True, filename=resource.filename,
                                 headers={"ETag": f'"{resource.hash}"'} if resource.hash else None)
