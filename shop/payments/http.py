"""HTTP to payment gateways with a deadline for the whole call."""

import time

import requests
import urllib3

MAX_ANSWER_BYTES = 1_000_000


class DeadlineSession(requests.Session):
    """requests with one deadline for the whole call: connecting, the answer's head and its
    body (read piece by piece against the clock), so a slow gateway cannot hold a worker
    past gunicorn's timeout (the caller's retries each get the same budget)."""

    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds
        self.headers["Accept-Encoding"] = "identity"  # small JSON answers: read them as sent

    def request(self, method, url, **kwargs):
        deadline = time.monotonic() + self.seconds
        kwargs["timeout"] = urllib3.Timeout(total=self.seconds, connect=min(self.seconds, 5))
        kwargs["stream"] = True
        response = super().request(method, url, **kwargs)
        body = bytearray()
        try:
            while chunk := self._read(response):
                body += chunk
                if time.monotonic() > deadline:
                    raise requests.Timeout(f"no whole answer within {self.seconds} s")
                if len(body) > MAX_ANSWER_BYTES:
                    raise requests.RequestException("answer too large")
        finally:
            response.close()
        response._content = bytes(body)  # what .json() reads
        return response

    @staticmethod
    def _read(response):
        """What has arrived of the body (one socket read at most)."""
        try:
            return response.raw.read1(16384)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise requests.ConnectionError(f"answer cut short: {exc}") from exc
