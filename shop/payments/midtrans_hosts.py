"""midtransclient pointed at the hosts of our settings (it only knows Midtrans' fixed sandbox
and production hosts), with a deadline on every call."""

from midtransclient.config import ApiConfig
from midtransclient.http_client import HttpClient

from shop.payments.http import DeadlineSession

SNAP_PATH = "/snap/v1"


class DeadlineHttpClient(HttpClient):
    """midtransclient's HTTP client with one deadline for the whole call."""

    def __init__(self, seconds):
        super().__init__()
        self.http_client = DeadlineSession(seconds)


class MidtransHosts(ApiConfig):
    """midtransclient's configuration, with the hosts from our settings (it only knows the
    fixed sandbox and production hosts)."""

    def __init__(self, *, is_production, server_key, client_key, api_base, snap_base,
                 custom_headers=None):
        super().__init__(is_production, server_key, client_key, dict(custom_headers or {}), {})
        self.api_base = api_base.rstrip("/") if api_base else None
        if snap_base:
            snap_base = snap_base.rstrip("/")
            if not snap_base.endswith(SNAP_PATH):
                snap_base += SNAP_PATH
        self.snap_base = snap_base

    def get_core_api_base_url(self):
        return self.api_base or super().get_core_api_base_url()

    def get_snap_base_url(self):
        return self.snap_base or super().get_snap_base_url()
