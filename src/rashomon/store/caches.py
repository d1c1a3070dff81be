"""In-memory caches of the story-grouping features, the same for every backend.

Story grouping asks, for every new document, the document frequency of its terms (and the
number of documents), the stories holding its rarest terms and the size of its candidate
stories. Answered by the database, each
is a scan of a posting list or of a story, which grows with the store: the cost per document
would grow with the store too. These caches answer them from memory. They are filled lazily
(the `load_*` callables ask the backend for what is missing, in one query), kept up to date by
the writes of the store handle that owns them, and dropped whole on any rollback and whenever
the backend says another connection has written (`Store._others_wrote`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

__all__ = ["GroupingCaches"]


class GroupingCaches:
    """Document frequencies, the term -> stories index and story sizes of one store handle."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything: what is kept may describe writes being undone, or be out of date."""
        self._df: dict[str, int] = {}  # term -> number of documents holding it
        self._term_stories: dict[str, set[str]] = {}  # term -> live stories holding it
        self._sizes: dict[str, int] = {}  # story id -> number of documents
        self._documents: int | None = None  # documents with terms, for idf
        # terms put for documents not yet in a story, until they join one
        self._pending_terms: dict[str, list[str]] = {}

    # -- reads -----------------------------------------------------------------------------------

    def term_counts(
        self, terms: Iterable[str], load: Callable[[list[str]], Mapping[str, int]]
    ) -> dict[str, int]:
        """Each term's document frequency, terms no document has left out; `load` counts the
        terms not cached yet."""
        wanted = list(dict.fromkeys(terms))
        missing = [term for term in wanted if term not in self._df]
        if missing:
            self._df.update(dict.fromkeys(missing, 0))
            self._df.update(load(missing))
        return {term: self._df[term] for term in wanted if self._df[term]}

    def stories_with_terms(
        self, terms: Iterable[str], load: Callable[[list[str]], Iterable[tuple[str, str]]]
    ) -> dict[str, int]:
        """Story id -> how many of `terms` it holds; `load` gives the (term, story) pairs of
        the terms not cached yet."""
        wanted = list(dict.fromkeys(terms))
        missing = [term for term in wanted if term not in self._term_stories]
        if missing:
            for term in missing:
                self._term_stories[term] = set()
            for term, story_id in load(missing):
                self._term_stories[term].add(story_id)
        shared: dict[str, int] = {}
        for term in wanted:
            for story_id in self._term_stories[term]:
                shared[story_id] = shared.get(story_id, 0) + 1
        # by story id, as the SQL grouping gave them: callers break ties on this order
        return dict(sorted(shared.items()))

    def story_size(self, story_id: str, load: Callable[[str], int]) -> int:
        size = self._sizes.get(story_id)
        if size is None:
            size = self._sizes[story_id] = load(story_id)
        return size

    def document_count(self, load: Callable[[], int]) -> int:
        if self._documents is None:
            self._documents = load()
        return self._documents

    # -- what the owner wrote --------------------------------------------------------------------

    def story_created(self, story_id: str) -> None:
        self._sizes[story_id] = 0

    def terms_put(self, doc_id: str, story_id: str | None, terms: Iterable[str]) -> None:
        """A document's terms were stored (for the first time); `story_id` is its story."""
        kept = list(terms)
        if self._documents is not None:
            self._documents += 1
        for term in kept:
            if term in self._df:
                self._df[term] += 1
            if story_id is not None and term in self._term_stories:
                self._term_stories[term].add(story_id)
        if story_id is None:
            self._pending_terms[doc_id] = kept

    def attached(
        self, story_id: str, doc_ids: Sequence[str],
        load_terms: Callable[[list[str]], Mapping[str, Iterable[str]]],
    ) -> None:
        """Documents in no story joined `story_id`; `load_terms` reads the terms of those
        whose terms this handle did not put."""
        if story_id in self._sizes:
            self._sizes[story_id] += len(doc_ids)
        known = {d: self._pending_terms.pop(d) for d in doc_ids if d in self._pending_terms}
        if not self._term_stories:
            return
        unknown = [d for d in doc_ids if d not in known]
        loaded = load_terms(unknown) if unknown else {}
        for doc_id in doc_ids:
            for term in known.get(doc_id) or loaded.get(doc_id, ()):
                stories = self._term_stories.get(term)
                if stories is not None:
                    stories.add(story_id)

    def merged(self, keep: str, absorbed: str) -> None:
        if keep in self._sizes and absorbed in self._sizes:
            self._sizes[keep] += self._sizes[absorbed]
        else:
            self._sizes.pop(keep, None)
        self._sizes[absorbed] = 0
        for stories in self._term_stories.values():
            if absorbed in stories:
                stories.discard(absorbed)
                stories.add(keep)

    def moved(
        self, source: str, into: str, terms: Iterable[str],
        load_still_held: Callable[[list[str]], set[str]],
    ) -> None:
        """One document with `terms` went from `source` to `into`; `load_still_held` says which
        of the cached ones another document of `source` still holds."""
        for story_id, change in ((source, -1), (into, 1)):
            if story_id in self._sizes:
                self._sizes[story_id] += change
        if not self._term_stories:
            return
        cached = [t for t in terms if t in self._term_stories]
        if not cached:
            return
        still = load_still_held(cached)
        for term in cached:
            stories = self._term_stories[term]
            stories.add(into)
            if term not in still:
                stories.discard(source)

    def wants_terms(self) -> bool:
        """Whether a move has to read the moved document's terms to keep the index true."""
        return bool(self._term_stories)
