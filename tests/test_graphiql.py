"""The development GraphiQL page opens offline: every asset it references is served by the app
itself (fetched from the npm registry at install time, checked against pins), and the page names
no other host."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import httpx
import pytest

from core.app import create_app
from core.http.graphiql import ASSETS_DIR, ASSETS_PREFIX

#: the published files' integrity values (as pinned by strawberry's CDN page): fetched unchanged
PUBLISHED = {
    "react.production.min.js": "sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8",
    "react-dom.production.min.js": "sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh",
    "graphiql.min.css": "sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM",
    "plugin-explorer.css": "sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi",
    "graphiql.min.js": "sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie",
    "plugin-explorer.umd.js": "sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9",
}


class References(HTMLParser):
    """Every URL-valued attribute of the page, and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, dict[str, str | None]]] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href", "action", "data", "poster"):
            if values.get(name):
                self.urls.append((tag, values[name] or "", values))
        self._in_script = tag == "script" and not values.get("src")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline.append(data)


def sri(data: bytes, algorithm: str = "sha384") -> str:
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode()


async def client_for(development: bool) -> httpx.AsyncClient:
    app = create_app(manage_db=False, listen_policies=False, development=development)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000")


async def test_graphiql_references_no_external_url_and_every_asset_is_served():
    async with await client_for(development=True) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "GraphiQL" in page.text
        assert "://" not in page.text  # no scheme-qualified URL anywhere, not even in comments
        refs = References()
        refs.feed(page.text)
        assets = [
            url for tag, url, _ in refs.urls if tag in ("script", "link") and not url.startswith("data:")
        ]
        assert len(assets) == len(PUBLISHED) == 6
        for _tag, url, attrs in refs.urls:
            assert url.startswith("data:") or (url.startswith("/") and not url.startswith("//")), url
            if url.startswith("data:"):
                continue
            assert url.startswith(ASSETS_PREFIX + "/"), url
            response = await client.get(url)
            assert response.status_code == 200, url
            kind = "javascript" if url.endswith(".js") else "css"
            assert kind in response.headers["content-type"], (url, response.headers["content-type"])
            assert attrs["integrity"] == sri(response.content), url  # the browser would refuse otherwise
            name = url.rsplit("/", 1)[1]
            assert attrs["integrity"] == PUBLISHED[name], name  # the published file, unchanged

        # the browser is told to load nothing from anywhere else
        policy = dict(
            part.strip().split(" ", 1) for part in page.headers["content-security-policy"].split(";")
        )
        assert policy["default-src"] == "'none'"
        assert "http" not in page.headers["content-security-policy"]
        assert "*" not in page.headers["content-security-policy"]
        assert policy["connect-src"] == "'self'"
        for body in refs.inline:  # the inline script is allowed by its hash, nothing else inline is
            assert f"'{sri(body.encode(), 'sha256')}'" in policy["script-src"]
        assert "'unsafe-inline'" not in policy["script-src"]


def test_every_fetched_asset_is_used_by_the_page():
    template = (ASSETS_DIR.parent.parent / "http" / "graphiql.html").read_text(encoding="utf-8")
    named = set(re.findall(r"\{\{([A-Za-z0-9._-]+)\}\}", template))
    shipped = {p.name for p in ASSETS_DIR.iterdir() if p.suffix in (".js", ".css")}
    assert named == shipped == set(PUBLISHED)


@pytest.mark.parametrize(
    "path", ["/static/graphiql/graphiql.min.js", "/static/graphiql/react.production.min.js"]
)
async def test_production_serves_neither_the_page_nor_its_assets(path):
    async with await client_for(development=False) as client:
        assert (await client.get(path)).status_code == 404
        page = await client.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()


async def test_graphql_still_answers_posts_beside_the_page():
    async with await client_for(development=True) as client:
        response = await client.post("/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


def test_the_assets_come_from_the_registry_checked_against_their_pins(tmp_path):
    """`zhibu graphiql fetch` takes each file from its npm tarball and refuses one that does not
    match its pinned sha384 (served here by a fake registry, from the installed files)."""
    import io
    import tarfile

    from core.http.graphiql_assets import ASSETS, fetch, missing

    def tarball(files: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w:gz") as archive:
            for name, data in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
        return out.getvalue()

    def registry(tamper: str | None = None):  # noqa: ANN202
        packages: dict[str, dict[str, bytes]] = {}
        for asset in ASSETS:
            data = (ASSETS_DIR / asset.name).read_bytes()
            packages.setdefault(asset.tarball, {})[asset.path] = data + (
                b"//" if asset.name == tamper else b""
            )

        def opener(url: str, timeout: float):  # noqa: ANN202
            return io.BytesIO(tarball(packages[url]))

        return opener

    assert missing(tmp_path) == [a.name for a in ASSETS]
    with pytest.raises(ValueError, match="does not match its pin"):
        fetch(tmp_path / "bad", opener=registry(tamper="graphiql.min.js"))
    assert not (tmp_path / "bad" / "graphiql.min.js").exists()
    assert sorted(fetch(tmp_path, opener=registry())) == sorted(a.name for a in ASSETS)
    assert missing(tmp_path) == [] and fetch(tmp_path, opener=registry()) == []
