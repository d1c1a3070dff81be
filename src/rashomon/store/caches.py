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

import heapq
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain

__all__ = ["DOCUMENT_TERMS_KEPT", "GroupingCaches"]

# Documents whose key terms are kept (about 10 KB each for a news article's hundred terms).
DOCUMENT_TERMS_KEPT = 10_000


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    story_id, count = item
    return -count, story_id


class GroupingCaches:
    """Document frequencies, the term -> stories index and story sizes of one store handle."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything: what is kept may describe writes being undone, or be out of date."""
        self._df: dict[str, int] = {}  # term -> number of documents holding it
        self._term_stories: dict[str, set[str]] = {}  # term -> live stories holding it
        self._sizes: dict[str, int] = {}  # story id -> number of documents
        self._into: dict[str, str | None] = {}  # story id -> the story it was merged into
        self._documents: int | None = None  # documents with terms, for idf
        # terms put for documents not yet in a story, until they join one
        self._pending_terms: dict[str, list[str]] = {}
        # the key terms of recently read documents, as read (least recently asked first)
        self._doc_terms: OrderedDict[str, dict[str, float]] = OrderedDict()

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
        self, terms: Iterable[str], load: Callable[[list[str]], Iterable[tuple[str, str]]],
        limit: int | None = None,
    ) -> dict[str, int]:
        """Story id -> how many of `terms` it holds, by story id; with `limit`, the `limit`
        stories holding most, most first, ties by story id. `load` gives the (term, story)
        pairs of the terms not cached yet."""
        wanted = list(dict.fromkeys(terms))
        missing = [term for term in wanted if term not in self._term_stories]
        if missing:
            for term in missing:
                self._term_stories[term] = set()
            for term, story_id in load(missing):
                self._term_stories[term].add(story_id)
        # counted in one pass of C over the posting sets: a common term is held by hundreds of
        # stories in a large store, and a loop of Python over them cost more than the scoring
        shared = Counter(chain.from_iterable(self._term_stories[term] for term in wanted))
        if limit is not None:
            # the few best of thousands, without ordering them all
            return dict(heapq.nsmallest(limit, shared.items(), key=_most_first))
        # by story id, as the SQL grouping gave them: callers break ties on this order
        return dict(sorted(shared.items()))

    def document_terms(
        self, doc_ids: Iterable[str], load: Callable[[list[str]], Mapping[str, dict[str, float]]]
    ) -> dict[str, dict[str, float]]:
        """Doc id -> its key terms (copies), for those that have some, by doc id; `load` reads
        the documents not cached, as the backend orders them.

        A placement reads the terms of the members of the small stories around it, again at
        each placement nearby: a query a time, the largest share of the store's reads.
        """
        wanted = sorted(set(doc_ids))
        missing = [doc_id for doc_id in wanted if doc_id not in self._doc_terms]
        loaded = load(missing) if missing else {}
        found: dict[str, dict[str, float]] = {}
        for doc_id in wanted:
            terms = loaded.get(doc_id) if doc_id in loaded else self._doc_terms.get(doc_id)
            if terms is None:
                continue  # a document without terms: not kept, it may be given some
            found[doc_id] = dict(terms)
            self._doc_terms[doc_id] = terms
            self._doc_terms.move_to_end(doc_id)
        while len(self._doc_terms) > DOCUMENT_TERMS_KEPT:
            self._doc_terms.popitem(last=False)
        return found

    def story_size(self, story_id: str, load: Callable[[str], int]) -> int:
        size = self._sizes.get(story_id)
        if size is None:
            size = self._sizes[story_id] = load(story_id)
        return size

    def merged_into(self, story_id: str, load: Callable[[str], str | None]) -> str | None:
        """The story `story_id` was merged into, None while it is live."""
        if story_id not in self._into:
            self._into[story_id] = load(story_id)
        return self._into[story_id]

    def document_count(self, load: Callable[[], int]) -> int:
        if self._documents is None:
            self._documents = load()
        return self._documents

    # -- what the owner wrote --------------------------------------------------------------------

    def story_created(self, story_id: str) -> None:
        self._sizes[story_id] = 0
        self._into[story_id] = None

    def merge_recorded(self, source: str, into: str) -> None:
        """`source` is no longer live: it went into `into`."""
        self._into[source] = into

    def terms_put(self, doc_id: str, story_id: str | None, terms: Iterable[str]) -> None:
        """A document's terms were stored (for the first time); `story_id` is its story."""
        kept = list(terms)
        self._doc_terms.pop(doc_id, None)
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
