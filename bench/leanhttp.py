"""The bench buyers' HTTP client (bench/checkout.py, bench/mixed.py)."""

import http.client
import json
import urllib.parse


class Answer:
    def __init__(self, status_code: int, body: bytes):
        self.status_code, self.body = status_code, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class LeanHttp:
    """The bench buyers' HTTP client: http.client, one connection per host kept while the server
    keeps it (gunicorn's sync workers close theirs after each answer). The buyers run on the
    same two cores as the shop, so what they spend is taken from what is measured: requests
    and the Stripe library cost them ~7 ms of CPU per order, this ~2 ms. What the shop and
    localstripe receive is the same HTTP (what a browser and Stripe.js would send)."""

    def __init__(self, headers=None):
        self.headers = headers or {}
        self.connections: dict[str, http.client.HTTPConnection] = {}

    def request(self, method, url, *, json_body=None, form=None, headers=None, timeout=30):
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        sent = {**self.headers, **(headers or {})}
        body = None
        if json_body is not None:
            body, sent["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):  # a kept connection the server has closed meanwhile: once more
            connection = self.connections.get(parts.netloc)
            fresh = connection is None
            if fresh:
                connection = http.client.HTTPConnection(parts.netloc, timeout=timeout)
                self.connections[parts.netloc] = connection
            try:
                connection.request(method, path, body=body, headers=sent)
                response = connection.getresponse()
                answer = Answer(response.status, response.read())
            except (http.client.HTTPException, OSError):
                connection.close()
                del self.connections[parts.netloc]
                if fresh or attempt == 2:
                    raise
                continue
            if response.will_close:
                connection.close()
                del self.connections[parts.netloc]
            return answer

    def post(self, url, json=None, **kwargs):
        return self.request("POST", url, json_body=json, **kwargs)

    def put(self, url, json=None, **kwargs):
        return self.request("PUT", url, json_body=json, **kwargs)

    def close(self):
        for connection in self.connections.values():
            connection.close()
        self.connections.clear()
