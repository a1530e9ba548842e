"""Where uploaded files live. One small interface, so an S3-compatible store can replace it."""

from pathlib import Path

from flask import current_app


class LocalStorage:
    """Files under a folder on disk (MEDIA_ROOT)."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def save(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a reader never sees half a file

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def local_path(self, key: str) -> Path:
        return self._path(key)


def get_storage() -> LocalStorage:
    return LocalStorage(current_app.config["MEDIA_ROOT"])
