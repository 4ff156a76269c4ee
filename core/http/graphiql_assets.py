"""GraphiQL's assets, fetched from the npm registry at install time — not kept in the repository.

``zhibu graphiql fetch`` (run by ``make install``) downloads the pinned npm packages, takes the six
files the development page loads, checks each against its pinned sha384 (the integrity values
strawberry's own CDN page pins) and writes them to ``core/static/graphiql/`` inside the installed
package, so a wheel built afterwards carries them and the page opens on an offline intranet.
A file that does not match its pin is refused, never written.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from core.http.graphiql import ASSETS_DIR

REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Asset:
    name: str
    package: str
    version: str
    path: str
    sha384: str

    @property
    def tarball(self) -> str:
        base = self.package.rsplit("/", 1)[-1]
        return f"{REGISTRY}/{self.package}/-/{base}-{self.version}.tgz"


ASSETS: tuple[Asset, ...] = (
    Asset("react.production.min.js", "react", "18.2.0", "package/umd/react.production.min.js",
          "tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"),
    Asset("react-dom.production.min.js", "react-dom", "18.2.0", "package/umd/react-dom.production.min.js",
          "bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"),
    Asset("graphiql.min.js", "graphiql", "3.8.3", "package/graphiql.min.js",
          "HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"),
    Asset("graphiql.min.css", "graphiql", "3.8.3", "package/graphiql.min.css",
          "Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM"),
    Asset("plugin-explorer.umd.js", "@graphiql/plugin-explorer", "1.0.2", "package/dist/index.umd.js",
          "2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9"),
    Asset("plugin-explorer.css", "@graphiql/plugin-explorer", "1.0.2", "package/dist/style.css",
          "5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi"),
)  # fmt: skip


def digest(data: bytes) -> str:
    return base64.b64encode(hashlib.sha384(data).digest()).decode()


def missing(target: Path = ASSETS_DIR) -> list[str]:
    """The assets not present (or not matching their pin) in ``target``."""
    return [
        a.name
        for a in ASSETS
        if not (target / a.name).is_file() or digest((target / a.name).read_bytes()) != a.sha384
    ]


def fetch(target: Path = ASSETS_DIR, *, opener=urllib.request.urlopen) -> list[str]:  # noqa: ANN001
    """Download what is missing into ``target``; returns the names written. ``ValueError`` when a
    downloaded file does not match its pin (nothing of that package is written)."""
    wanted = set(missing(target))
    written: list[str] = []
    tarballs: dict[str, tarfile.TarFile] = {}
    for asset in ASSETS:
        if asset.name not in wanted:
            continue
        if asset.tarball not in tarballs:
            with opener(asset.tarball, timeout=60) as response:  # noqa: S310 - a fixed https URL
                tarballs[asset.tarball] = tarfile.open(fileobj=io.BytesIO(response.read()), mode="r:gz")
        member = tarballs[asset.tarball].extractfile(asset.path)
        if member is None:
            raise ValueError(f"{asset.package}@{asset.version} has no {asset.path}")
        data = member.read()
        if digest(data) != asset.sha384:
            raise ValueError(f"{asset.package}@{asset.version} {asset.path}: sha384 does not match its pin")
        target.mkdir(parents=True, exist_ok=True)
        (target / asset.name).write_bytes(data)
        written.append(asset.name)
    return written
