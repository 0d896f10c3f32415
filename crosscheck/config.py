"""Settings: defaults < TOML file (crosscheck.toml or --config) < CROSSCHECK_* environment < flags."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    db: str = "crosscheck.db"  # a file path (SQLite) or a database URL (postgresql://…)
    summary_sentences: int = 0  # 0: adaptive, 5 to 8 by the number of sources and claim groups
    story_window_days: int = 30  # stories active this recently are candidates (the clusterer's window)
    dedup_window_days: int = 14  # near-duplicate search looks this far back
    understand_processes: int = 2  # spaCy processes for in-process ingest (queue workers use 1 each)
    cluster_embedder: str = "none"  # "minilm": add dense embeddings to clustering (embeddings extra)
    llm_url: str | None = None  # OpenAI-compatible endpoint; off unless given
    llm_model: str | None = None
    user_agent: str = "Crosscheck/0.1 (+https://example.invalid/crosscheck; news story engine)"
    secret_key: str | None = None  # signs session cookies; generated per process when unset
    fetch_timeout: float = 20.0

    def as_write_settings(self) -> dict:
        return {"summary_sentences": self.summary_sentences, "llm_url": self.llm_url,
                "llm_model": self.llm_model}


CHOICES = {"cluster_embedder": ("none", "minilm")}


def load_settings(config_file: str | os.PathLike | None = None, **overrides) -> Settings:
    """Read settings from a TOML file, then CROSSCHECK_* variables, then explicit overrides."""
    settings = Settings()
    path = Path(config_file) if config_file else Path("crosscheck.toml")
    if path.is_file():
        with path.open("rb") as fh:
            settings = _apply(settings, tomllib.load(fh), source=str(path))
    env = {f.name: os.environ[f"CROSSCHECK_{f.name.upper()}"] for f in fields(Settings)
           if f"CROSSCHECK_{f.name.upper()}" in os.environ}
    settings = _apply(settings, env, source="environment")
    return _apply(settings, {k: v for k, v in overrides.items() if v is not None}, source="flags")


def _apply(settings: Settings, values: dict, source: str) -> Settings:
    known = {f.name: f for f in fields(Settings)}
    changes = {}
    for key, value in values.items():
        if key not in known:
            raise ValueError(f"{source}: unknown setting {key!r}")
        kind = type(getattr(Settings, key, None)) if getattr(Settings, key, None) is not None else str
        try:
            changes[key] = kind(value) if kind in (int, float) else value
        except ValueError as exc:
            raise ValueError(f"{source}: setting {key!r}: {exc}") from None
        if key in CHOICES and changes[key] not in CHOICES[key]:
            raise ValueError(f"{source}: setting {key!r}: {value!r} is not one of {', '.join(CHOICES[key])}")
    return replace(settings, **changes)
