"""Placeholder until the pairwise stance signal is written (see bench/fnc1.py)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Stance:
    label: str
    score: float


def stance(claim_text: str, body_text: str) -> Stance:
    raise NotImplementedError
