"""Grouping documents into stories, incrementally.

A first version (issue 6 deepens it): each new document is compared with the centroid of every
existing story's title-and-lede embeddings and joins the closest one above a threshold, or starts
a story of its own. A document close to two stories merges them, and the store records the merge.
Comparing with centroids, not with every document, keeps the cost at stories × new documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rashomon.model import Document

__all__ = ["LEDE_CHARS", "assign_stories", "lede_text"]

# Enough for a headline and the first two or three sentences, which carry the who/what/where
# of a news story; later paragraphs drift into background shared by many stories.
LEDE_CHARS = 600


def lede_text(document: Document) -> str:
    """The text a document is grouped by: its title and the start of its body."""
    body = document.text[:LEDE_CHARS]
    return f"{document.title}\n{body}" if document.title else body


def _story_centroids(store: Any, model: str) -> tuple[list[str], np.ndarray]:
    ids: list[str] = []
    rows: list[np.ndarray] = []
    for story in store.list_stories():
        vectors = list(store.get_embeddings(store.story_documents(story.id), model=model).values())
        if not vectors:
            continue
        centroid = np.mean(vectors, axis=0)
        norm = float(np.linalg.norm(centroid))
        ids.append(story.id)
        rows.append(centroid / norm if norm else centroid)
    matrix = np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)
    return ids, matrix


def assign_stories(
    store: Any,
    documents: Sequence[Document],
    embeddings: np.ndarray,
    *,
    threshold: float,
    model: str,
) -> dict[str, str]:
    """Attach each new document to a story (existing or new); return doc id -> story id.

    `embeddings[i]` is the unit-length lede embedding of `documents[i]`, already in the store.
    Documents are taken in the order given, so a story started by one can take the next.
    """
    assigned: dict[str, str] = {}
    for document, vector in zip(documents, embeddings, strict=True):
        known = store.story_of(document.id)
        if known is not None:
            assigned[document.id] = known
            continue
        story_ids, centroids = _story_centroids(store, model)
        matches: list[str] = []
        if story_ids:
            similarity = centroids @ vector
            order = np.argsort(-similarity)
            matches = [story_ids[i] for i in order if similarity[i] >= threshold]
        if not matches:
            story_id = store.create_story(document.title, [document.id])
        else:
            story_id = matches[0]
            store.add_to_story(story_id, [document.id])
            # A document that reads as the same event as two stories bridges them.
            for other in matches[1:]:
                store.merge_stories(story_id, other)
        assigned[document.id] = story_id
    return assigned
