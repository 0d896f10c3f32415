"""BCubed precision/recall/F1 (Bagga & Baldwin 1998), the standard score for event clustering."""

from __future__ import annotations

from collections import Counter


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Item-averaged BCubed over the items in `gold`; `predicted` maps item -> cluster id."""
    items = list(gold)
    pair = Counter((predicted[i], gold[i]) for i in items)
    cluster_size = Counter(predicted[i] for i in items)
    class_size = Counter(gold[i] for i in items)
    precision = sum(pair[(predicted[i], gold[i])] / cluster_size[predicted[i]] for i in items) / len(items)
    recall = sum(pair[(predicted[i], gold[i])] / class_size[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
