"""Inverted index from salient terms/entities to the stories that feature them.

Nearest-story search asks only the posting lists of the arriving article's strongest keys,
and each list is capped to its most recently updated stories, so a lookup touches a bounded
number of entries however many stories the archive holds. Stories leave the index when the
clusterer evicts them (outside the time window), which keeps memory flat too.
"""

from __future__ import annotations

from collections import OrderedDict


class StoryIndex:
    def __init__(self, posting_cap: int = 200):
        self.posting_cap = posting_cap
        self._postings: dict[str, OrderedDict[str, None]] = {}
        self._keys_of: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._keys_of)

    def update(self, story_id: str, keys: set[str]) -> None:
        """(Re)post a story under `keys`; it moves to the fresh end of every list it is on."""
        old = self._keys_of.get(story_id, set())
        for key in old - keys:
            posting = self._postings.get(key)
            if posting is not None:
                posting.pop(story_id, None)
                if not posting:
                    del self._postings[key]
        for key in keys:
            posting = self._postings.get(key)
            if posting is None:
                posting = self._postings[key] = OrderedDict()
            posting[story_id] = None
            posting.move_to_end(story_id)
            if len(posting) > self.posting_cap:
                dropped, _ = posting.popitem(last=False)
                # The dropped story stays findable through its other keys.
                self._keys_of.get(dropped, set()).discard(key)
        self._keys_of[story_id] = set(keys)

    def remove(self, story_id: str) -> None:
        for key in self._keys_of.pop(story_id, set()):
            posting = self._postings.get(key)
            if posting is not None:
                posting.pop(story_id, None)
                if not posting:
                    del self._postings[key]

    def candidates(self, weighted_keys: dict[str, float], limit: int) -> list[str]:
        """Stories sharing the most weight with the query keys, best first (ties by id)."""
        votes: dict[str, float] = {}
        for key, weight in weighted_keys.items():
            posting = self._postings.get(key)
            if posting is None:
                continue
            for story_id in posting:
                votes[story_id] = votes.get(story_id, 0.0) + weight
        if len(votes) <= limit:
            return sorted(votes, key=lambda s: (-votes[s], s))
        import heapq

        return [s for _, s in heapq.nsmallest(limit, ((-v, s) for s, v in votes.items()))]
