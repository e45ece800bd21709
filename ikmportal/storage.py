"""Storage for confidential files (need attachments): outside MEDIA_ROOT, never served by URL.

Files are read back only through views that check permission (see matchmaking.views). A callable, so
migrations refer to it by name and the location follows PRIVATE_MEDIA_ROOT at run time.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def base_url(self):
        return None


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private_storage
