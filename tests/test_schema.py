"""The committed SDL matches the code."""

from __future__ import annotations

from schema import SDL_PATH, builtin_sdl, get_schema


def test_committed_sdl_matches_code():
    """Core and the built-in plugins only, whatever else is installed (the probe plugin is)."""
    current = builtin_sdl()
    assert "probeReport" not in current and "probeReport" in get_schema().as_str()
    committed = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    assert committed == current, "schema/schema.graphql is stale: run `zhibu schema --write`"
