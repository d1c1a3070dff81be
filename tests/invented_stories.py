"""Small invented stories built by hand for the brief's tests (no models): each article is one
sentence in which a speaker says something, with its attribution and claim."""

from __future__ import annotations

from rashomon.model import (
    Analysis,
    Attribution,
    Claim,
    Document,
    Mention,
    Span,
    Speaker,
    Story,
    document_id,
)


def said(key: str, outlet: str, text: str, speaker: str, cue: str, words: str,
         kind: str = "indirect") -> tuple[Document, Attribution, Claim]:
    """One invented article: `speaker` `cue` `words`, each found (first) in `text`."""
    document = Document(id=document_id(key, text), source=key, source_key=key, text=text,
                        raw_text=text, outlet=outlet)
    name, verb, start = text.index(speaker), text.index(cue), text.index(words)
    attribution = Attribution(
        f"{key}:a1", document.id,
        Speaker(Span(document.id, name, name + len(speaker)), speaker, name=speaker),
        Span(document.id, verb, verb + len(cue)), Span(document.id, start, start + len(words)),
        kind, "assertion")  # type: ignore[arg-type]
    return document, attribution, Claim(f"{key}:c1", document.id, attribution.content,
                                        attribution.id)


def story(*items: tuple[Document, Attribution, Claim]) -> Analysis:
    """One story of the invented articles; each speaker is a mention, as NER would find it."""
    mentions = tuple(Mention(a.speaker.span, a.speaker.text, "PERSON")
                     for _, a, _ in items if a.speaker.span is not None)
    return Analysis(
        documents=tuple(d for d, _, _ in items),
        stories=(Story("s-invented", tuple(d.id for d, _, _ in items)),),
        attributions=tuple(a for _, a, _ in items),
        claims=tuple(c for _, _, c in items),
        mentions=mentions,
    )
