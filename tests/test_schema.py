"""The committed SDL matches the code."""

from __future__ import annotations

from schema import SDL_PATH, print_sdl


def test_committed_sdl_matches_code():
    current = print_sdl()
    committed = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    assert committed == current, "schema/schema.graphql is stale: run `zhibu schema --write`"
