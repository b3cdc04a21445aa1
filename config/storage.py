"""Where files live: the local disk (default, `make run` and tests) or S3-compatible object
storage (django-storages, boto3), chosen by the environment.

Two storages matter besides the static files:
- "default": public, moderated photo derivatives (`reports/…`). On S3 the public bucket
  (`S3_PUBLIC_BUCKET`), read anonymously through a bucket policy that the operator sets
  (never an object ACL), at `S3_PUBLIC_URL` (a CDN or the bucket's URL).
- "private": photo originals with EXIF, crew photos' originals, case attachments, form
  uploads, open-data uploads and generated exports. On S3 the private bucket
  (`S3_PRIVATE_BUCKET`), never readable anonymously; a file leaves it only through a view
  that checked the permission first (`config.private_files`), as a presigned URL valid for
  `S3_PRIVATE_URL_TTL` seconds.

`STORAGE_BACKEND=s3` (or setting `S3_ENDPOINT_URL`) switches to S3. Variables: S3_ENDPOINT_URL
(empty: AWS), S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_PUBLIC_BUCKET,
S3_PRIVATE_BUCKET, S3_PUBLIC_URL, S3_PRIVATE_URL_TTL, S3_MULTIPART_THRESHOLD (bytes; larger
files are uploaded in parts of that size, streamed from disk).
"""
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

__all__ = ["storages_from_env", "object_storage_origins", "private_storage", "storage_file_replace",
           "storage_file_exists", "storage_is_local"]

BACKENDS = ("filesystem", "s3")
_S3_BACKEND = "storages.backends.s3.S3Storage"


def storages_from_env(env, *, private_root: Path) -> dict:
    """The STORAGES setting without "staticfiles" (settings add it) for the environment."""
    backend = env.str("STORAGE_BACKEND", default="s3" if env.str("S3_ENDPOINT_URL", default="") else "filesystem")
    if backend not in BACKENDS:
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")
    if backend == "filesystem":
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                        "OPTIONS": {"location": str(private_root), "base_url": None}},
        }
    public_bucket = env.str("S3_PUBLIC_BUCKET", default="")
    private_bucket = env.str("S3_PRIVATE_BUCKET", default="")
    if not public_bucket or not private_bucket or public_bucket == private_bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET, two different "
                                   "buckets (the private one must never be readable anonymously).")
    common = {
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("S3_REGION", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "signature_version": "s3v4",
        # Path-style addressing works with every S3-compatible server (SeaweedFS, MinIO, Ceph).
        "addressing_style": env.str("S3_ADDRESSING_STYLE", default="path"),
        # No object ACL ever: access is decided by the bucket policy (public) or our views.
        "default_acl": None,
        "file_overwrite": False,
        "transfer_config": _transfer_config(env.int("S3_MULTIPART_THRESHOLD", default=8 * 1024 * 1024)),
    }
    public_url = env.str("S3_PUBLIC_URL", default="").rstrip("/")
    public = {**common, "bucket_name": public_bucket, "querystring_auth": False}
    if public_url:
        scheme, _sep, domain = public_url.partition("://")
        public.update(custom_domain=domain, url_protocol=f"{scheme}:")
    private = {**common, "bucket_name": private_bucket, "querystring_auth": True,
               "querystring_expire": env.int("S3_PRIVATE_URL_TTL", default=60)}
    return {"default": {"BACKEND": _S3_BACKEND, "OPTIONS": public},
            "private": {"BACKEND": _S3_BACKEND, "OPTIONS": private}}


def object_storage_origins(storages_setting: dict) -> list[str]:
    """The origins (scheme://host[:port]) pages load files from when they are on object storage:
    public derivatives (S3_PUBLIC_URL or the endpoint) and presigned private files (the
    endpoint); for the Content-Security-Policy (config.csp). Empty on the local disk."""
    from urllib.parse import urlsplit

    origins = []
    for alias in ("default", "private"):
        config = storages_setting.get(alias, {})
        if config.get("BACKEND") != _S3_BACKEND:
            continue
        options = config.get("OPTIONS", {})
        urls = [options.get("endpoint_url") or f"https://{options['bucket_name']}.s3.amazonaws.com"]
        if options.get("custom_domain"):
            urls.append(f"{options.get('url_protocol', 'https:')}//{options['custom_domain']}")
        for url in urls:
            parts = urlsplit(url)
            origin = f"{parts.scheme}://{parts.netloc}"
            if origin not in origins:
                origins.append(origin)
    return origins


def _transfer_config(threshold: int):
    from boto3.s3.transfer import TransferConfig

    # Parts of `threshold` bytes (S3's minimum part size is 5 MiB, except for the last part).
    return TransferConfig(multipart_threshold=threshold, multipart_chunksize=max(threshold, 5 * 1024 * 1024))


class _PrivateStorage(LazyObject):
    """`storages["private"]`, looked up when first used (and again after STORAGES changes,
    as Django's `default_storage` does), so that FileFields keep following the setting."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _private_storage_reset(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


def storage_is_local(storage) -> bool:
    """Whether `storage` keeps its files on this machine's file system (`path()` works)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


def storage_file_exists(storage, name: str) -> bool:
    return bool(name) and storage.exists(name)


def storage_file_replace(storage, name: str, local_path: Path) -> None:
    """Put the finished local file `local_path` at exactly `name` in `storage`, replacing an
    older file there: readers see the old or the new file, never a partial one.

    On the local disk an `os.replace` (same file system); on object storage an upload streamed
    from the file (multipart above the threshold, never the whole file in memory), which S3
    makes visible only once complete. The local file is gone afterwards.
    """
    if storage_is_local(storage):
        final = Path(storage.path(name))
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(local_path, final)
        return
    with open(local_path, "rb") as fh:
        # `_save`, not `save`: the exact name, no "free name" search (S3Storage._save uploads
        # with boto3's managed transfer, upload_fileobj).
        stored = storage._save(name, File(fh, name=name))
    os.unlink(local_path)
    if stored != name:
        raise OSError(f"object storage stored {name!r} as {stored!r}")
