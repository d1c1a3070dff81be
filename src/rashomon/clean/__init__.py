"""Cleaning: from an ingester's text to an article body, its metadata, and an offset map.

The raw text is cut into lines (hard-wrapped lines are joined back into one logical line) and
every line is judged on general features, never on strings of particular sites: its length,
whether it ends like a sentence, whether it opens with an imperative call to action, whether it
carries an @handle or a URL, its share of capitalised words, whether it repeats an earlier line,
and where it sits in the article. What goes:

* page furniture: calls to follow or join an account, keyboard prompts, share / subscribe /
  newsletter / cookie notices, "Read more:" and "Related:" labels, captions and photo credits,
  copyright lines, bylines and date lines (their content becomes metadata first), the page's
  own address printed above the article (also spaced out, "http: / / www. example. com / ...");
* the title line (it becomes `Document.title`) and its repeats;
* headline-like lines: short, no sentence punctuation, mostly capitalised (related-article
  headlines dropped into the body, and also section subheads, which are not sentences either);
* very short lines without sentence punctuation, such as a tag line under the title;
* later repeats of a line already kept.

A line that reads as a real sentence (ends with . ! ? or closing quotes after them, or carries
a reporting verb and a quote) is only ever dropped by the furniture rules, which need a strong
signal (an imperative call to action with an object such as "us", an @handle or a platform, a
key combination, a caption label).

A date line is a line that is only a date: anywhere in the page when the date opens it and
only a time or zone follows, and among the first lines also in the looser forms pages print
there ("Updated: 11 November 2031 20: 09 IST", "12: 52 p. m. EDT May 2, 2031", "Sat Nov 12
2031, 01: 19 hrs"), as long as every word besides the date is a label, weekday, month, clock
word or zone; a sentence that mentions a date carries other words and stays. Its date becomes
`published` unless the metadata gives one; a numeric date whose day and month could swap
("05/02/2031") gives none.

A dateline opening one of the first paragraphs ("Velmora/Dornach, June 3, 2026 – ...",
"LONDON (Reuters) - ...", "OSLO, Norway —") is cut from the body; its place, date and wire
agency become `dateline_place`, `published` and, when nothing better names it, `outlet`.

The cleaned text is made of raw slices, joined with "\\n" between lines of one raw paragraph and
"\\n\\n" where the raw text had a blank line, so every character that came from the raw text maps
back to it exactly through `Document.offsets`. `Document.removed` lists every raw span left out
(furniture, title, repeats, dateline prefix).
"""

from __future__ import annotations

from rashomon.clean.assembly import assemble, removed_spans
from rashomon.clean.body import drop_reasons, find_dateline, find_title, read_evidence
from rashomon.clean.furniture import furniture_reason
from rashomon.clean.language import detect_language
from rashomon.clean.lines import TOP_LINES, logical_lines
from rashomon.clean.prose import english_problem, prose_problem
from rashomon.errors import InputError, LanguageError
from rashomon.model import Document, RawDocument, document_id

__all__ = ["clean"]


def _check_body(source: str, text: str, *, has_lines: bool) -> str:
    """The body's language; raises when there is no body, it is no prose or not English."""
    if not text:
        if not has_lines:
            raise InputError(source, "the text is empty")
        raise InputError(source, "nothing is left after removing page furniture")
    problem = prose_problem(text)
    if problem is not None:
        raise InputError(source, f"not an article: {problem}")
    language = detect_language(text)
    if language != "en":
        raise LanguageError(
            source, f"language is {language}, not English; the pipeline handles English only"
        )
    problem = english_problem(text)
    if problem is not None:
        raise InputError(source, f"not an article: {problem}")
    return language


def clean(raw: RawDocument) -> Document:
    """Turn an ingested text into a `Document`: article body, metadata and offset map.

    Metadata given in `raw` (title, outlet, published, author) wins over what the text says;
    what the text says fills what is missing. The outlet comes from a copyright line, else a
    follow/join line's @handle, else a wire agency in the dateline ("(Reuters)"): a wire
    dateline means the wire wrote the story, which is the best guess when nothing else names
    an outlet.

    Raises `InputError` when nothing is left after cleaning or the body is not prose (symbols,
    code, random letters: `prose`), and `LanguageError` when it is in a language other than
    English.
    """
    if raw.text is None:
        raise InputError(raw.source, "no text to clean (HTML must be turned into text first)")
    raw_text = raw.text
    lines = logical_lines(raw_text)
    furniture = {
        i: reason
        for i, line in enumerate(lines)
        if (reason := furniture_reason(line.text, near_top=i < TOP_LINES))
    }
    title_index = find_title(lines, furniture)
    drops = drop_reasons(lines, furniture, title_index, raw.title)
    kept = [i for i in range(len(lines)) if i not in drops]
    evidence = read_evidence(lines, drops)
    found = find_dateline(lines, kept)
    dateline = found[1] if found else None
    cuts = {found[0]: lines[found[0]].start + found[1].end} if found else {}
    text, offsets = assemble(raw_text, lines, kept, cuts)
    language = _check_body(raw.source, text, has_lines=bool(lines))

    title = lines[title_index].text.replace("\n", " ") if title_index is not None else None
    return Document(
        id=document_id(raw.source_key, text),
        source=raw.source,
        source_key=raw.source_key,
        text=text,
        raw_text=raw_text,
        title=raw.title or title,
        outlet=raw.outlet or evidence.outlet or (dateline.agency if dateline else None),
        published=raw.published or (dateline.date if dateline else None) or evidence.published,
        dateline_place=dateline.place if dateline else None,
        author=raw.author or evidence.author,
        url=raw.url,
        language=language,
        offsets=offsets,
        removed=removed_spans(lines, drops, cuts),
        encoding=raw.encoding,
    )
