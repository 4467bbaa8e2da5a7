"""The shared parts of a deployment, from environment variables: the cache and file storage.

``CACHE_URL``: ``redis://host:6379/0`` (or ``rediss://``) uses Django's built-in Redis cache;
``locmem://`` a per-process memory cache, for the demo only. ``S3_ENDPOINT_URL`` with
``S3_BUCKET`` stores every private file (evidence, reports, batch ZIPs) in an S3-compatible
object store through django-storages; without it they stay on the local disk.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"
S3_STORAGE = "storages.backends.s3.S3Storage"
FILE_STORAGE = "django.core.files.storage.FileSystemStorage"


def cache_from_url(url: str, *, key_prefix: str = "pma") -> dict:
    """Django's CACHES["default"] for a CACHE_URL; a bad URL names the variable."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("redis", "rediss"):
        return {
            "BACKEND": REDIS,
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
            # A Redis that stops answering must not hang a request: fail in a few seconds.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    if scheme == "locmem":
        return {"BACKEND": LOCMEM, "LOCATION": urlsplit(url).netloc or "platform-maturity"}
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r} is not supported; use redis://host:6379/0 (or locmem:// for the demo)."
    )


def cache_is_per_process(cache: dict) -> bool:
    return cache["BACKEND"] in (LOCMEM, "django.core.cache.backends.dummy.DummyCache")


def default_storage_from_env() -> dict:
    """STORAGES["default"]: the S3 bucket when S3_ENDPOINT_URL is set, the local disk otherwise.

    Objects are private (no ACL, signed URLs of five minutes when a URL is asked for at all);
    downloads go through the permission-checked views, which stream the object.
    """
    endpoint = env_str("S3_ENDPOINT_URL", "")
    if not endpoint:
        return {"BACKEND": FILE_STORAGE}
    bucket = env_str("S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("S3_ENDPOINT_URL is set but S3_BUCKET is empty.")
    return {
        "BACKEND": S3_STORAGE,
        "OPTIONS": {
            "endpoint_url": endpoint,
            "bucket_name": bucket,
            "access_key": env_str("S3_ACCESS_KEY", ""),
            "secret_key": env_str("S3_SECRET_KEY", ""),
            "region_name": env_str("S3_REGION", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("S3_SIGNED_URL_SECONDS", 300, minimum=1),
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        },
    }
