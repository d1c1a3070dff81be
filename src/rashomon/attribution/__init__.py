"""Attribution: who said what, in which words, with which stance, through which medium.

Rules over one parsed document, with two small trained models where they plateau (a cue
tagger, a boundary model), measured on PolNeAR (`bench/attribution.py`) and the seeds. The work
is cut into steps that can each grow on their own, a module each (`quotes`, `cues`, `finders`,
`titles`, `speakers`, `media`, `tagger`, `spans`;
`context` holds the document view and the parse helpers they share; this module puts them
together):

1. `find_quotes` pairs quote marks into `Quote`s (straight, curly, single quotes that are not
   apostrophes, doubled apostrophes ``''...''``) without looking at the parse.
2. Finders turn the parse into candidates: `quote_candidates` (direct and partial quotations and
   their cue), `reported_candidates` (``X said that ...``, ``X denied the claim``, ``X, he
   said, Y``), `according_to_candidates` (``..., according to X``), and in `titles`
   `headline_candidates` (``Name: what they said`` as a title) and `title_verb_candidates`
   (``Harbour Union Blasts Port Plan``).
3. `SpeakerResolver` walks the candidates in text order and turns the words naming a speaker
   into a `Speaker` (full names, pronouns, short names, role nouns, anonymous sources), keeping a
   history so that a later "he" or "the spokesman" can point back.
4. `find_medium` reads the platform or channel from the words around the cue, and a statement that
   goes on ("he added", "in the same post", a quote with no cue) carries the earlier medium.
5. Where the lexicon plateaus, `tagger.propose` adds candidates for the verbs the rules left
   alone that a logistic model trained on PolNeAR's training part trusts ("is defending his
   plan", "plans to close the port", "seems to doubt it"); they are resolved like the others
   but not remembered, so the rules' own attributions come out as they would without them.
   Off with ``tagger=False`` (and when no model file is shipped).
6. Once speakers and media are resolved, `spans.refine` moves where a reported content starts
   and ends when a logistic model trained on PolNeAR's training part is sure the rules' bound
   is wrong ("expressed concern about | the plan": the annotators take what the concern is
   about). Quotations keep their marks' bounds; speaker, cue, stance and medium stay the
   rules'. Off with ``spans=False`` (and when no model file is shipped). A second file holds
   the same model with the packaged MiniLM's token states beside the parse features
   (`contextual`); it is not the default (see `spans.CONTEXTUAL_SPAN_MODEL_PATH`).

7. Opt-in (``nouns=True``), `nouns.propose_nouns` adds the views a noun names with the holder
   the text names beside it ("her attacks on the board", "Silva's claim that ..."), from a
   logistic model trained on PolNeAR's training part; resolved like the tagger's, not
   remembered. Off by default (see the README for why).

The cue lexicon (`CUES`) is data: lemma, optional particle, stance and a few flags. Beyond the
speech verbs it holds the reporting and position-taking words that PolNeAR's annotators mark as
cues in at least about half of their uses (counted on its training part, never on single
articles): "argue", "suggest", "cite", "criticize", "vow to", "call for", "point to"... Beside
it, `data/attribution_cues.json` lists the verbs that PolNeAR's training part marks as cues in
most of their uses with a clause ("complained that", "lamented that", "speculated that"),
counted and thresholded by `bench/train_attribution_cues.py`: plain assertions that take a
clause only, never an object (the same verbs with an object are as often deeds).

Choices worth knowing:
- A quote split around its cue (``"X," he said, "Y."``) gives two attributions with the same
  speaker and cue: one content span cannot skip the cue words without covering them.
- Content spans are the words inside the marks. A comma that closes a quote stands for the
  speaker's full stop and is left out; a partial quote also leaves out a trailing full stop (it is
  the author's). A direct quote keeps its own ``.``, ``!`` or ``?``.
- A quote with no cue that follows another attribution inherits its speaker and medium; when the
  attribution is not in the sentence right before, the speaker is marked uncertain.
- A partial quote no cue governs ("backed the deal “in spirit”") is given the subject
  of the verb above it, marked uncertain; in a headline, or with no such subject, the speaker is
  left unknown (empty text, no name) rather than guessed.
- Every press meeting ("told reporters", "briefing reporters", "news conference") is one medium,
  "briefing reporters", so that two outlets' wordings do not read as two media.
- Reported contents follow PolNeAR's spans: a complement clause keeps its "that"; an object runs
  on to a prepositional phrase right after it ("criticized the company over its prices") but not
  to the frame ("in a Facebook post", "on Friday"); "called X “Y”" / "described X as Y" take X
  and Y together; the person asked is left out of what was asked.
- The speaker's span is the whole phrase naming them, appositions and relative clauses included
  ("Rui Costa, the captain of the ferry,"); in a relative clause it is the pronoun ("who"), whose
  name is the noun it stands for.
- A cue inside a relative clause whose complement lacks its subject ("the money she says was
  stolen", "“thousands of sailors” he claims are trapped") reports a claim about the noun the
  clause hangs on: two contents sharing the cue, the noun phrase and the complement, as for a
  split quote. One span from the noun through the complement would hold the speaker and the cue
  too, and downstream the complement alone is the clause compared with others (the seeds'
  contradiction between "are encircled" and "no threat of encirclement" is lost with one span).
- An object cut short by the parse before a possessive runs on over the possessed noun and what
  it takes ("confirmed Dornava’s “support” for the tariff").
- A quotation after a colon with no lexicon cue takes the clause before the colon: its verb is
  the cue and its subject the speaker ("Brannik leaned in and boomed: “...”"), or a bare name
  is the speaker and the colon the cue ("- Ana Silva: “...”").
- A single quoted word no cue governs is a scare quote or a name, not an attribution; a
  quote inside a title's "Name: ..." statement is that speaker's.
- Reported speech nested in another's content is dropped when it adds no voice: a cue the outer
  cue governs ("refused to say whether ...") or a pronoun speaker ("Silva said she fears ...");
  a named speaker inside ("said the union fears ...") is a chain and stays.
- A reported clause ends before a second verb of the speaker the parser hung on it ("says the
  port lost money | and calls the plan ..."), and runs on over a second "that" clause ("said
  X, but that Y"); "said no" reports "no".
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from rashomon.attribution.context import Candidate, Context, context_for
from rashomon.attribution.cues import CUES, Cue, cue_for
from rashomon.attribution.finders import (
    according_to_candidates,
    drop_duplicates,
    drop_nested,
    quote_candidates,
    reported_candidates,
    survey_candidates,
)
from rashomon.attribution.media import SAME_OCCASION, find_medium
from rashomon.attribution.notspeech import drop_not_speech
from rashomon.attribution.nouns import NounModel, load_noun_model, propose_nouns
from rashomon.attribution.quotes import Quote, find_quotes
from rashomon.attribution.spans import SpanModel, load_span_model, refine
from rashomon.attribution.speakers import SpeakerResolver
from rashomon.attribution.tagger import TaggerModel, load_model, propose
from rashomon.attribution.titles import (
    headline_candidates,
    share_headline_cue,
    title_verb_candidates,
)
from rashomon.model import Attribution, Document, Mention, Speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["CUES", "Cue", "Quote", "cue_for", "extract_attributions", "find_medium", "find_quotes"]


def _frame_text(ctx: Context, candidate: Candidate) -> str:
    """The words of the cue's sentence, in its paragraph, less the content and every quote."""
    anchor = candidate.cue[0] if candidate.cue else candidate.content[0]
    sentence = ctx.sentences[ctx.sentence_of(anchor)]
    paragraph = ctx.paragraph_of(anchor)
    start = max(sentence.start_char, ctx.paragraph_starts[paragraph])
    next_paragraph = paragraph + 1
    end = sentence.end_char
    if next_paragraph < len(ctx.paragraph_starts):
        end = min(end, ctx.paragraph_starts[next_paragraph])
    chars = list(ctx.document.text[start:end])
    holes = [candidate.content] + [(q.open, q.outer_end) for q in ctx.quotes]
    for hole_start, hole_end in holes:
        for offset in range(max(hole_start, start), min(hole_end, end)):
            chars[offset - start] = " "
    return "".join(chars)


def _inherit(
    resolver: SpeakerResolver, ctx: Context, candidate: Candidate, guessed: bool
) -> bool:
    """A quote with no cue takes the speaker of the attribution just before it.

    `guessed`: the sentence before names someone speaking ("Berg spoke about the storm."), a
    better guess than an attribution further back.
    """
    previous = resolver.previous(candidate.position)
    if previous is None:
        return False
    quote_paragraph = ctx.paragraph_of(candidate.content[0])
    if quote_paragraph - previous.paragraph > 2:
        return False
    adjacent = previous.last_sentence >= candidate.sentence - 1
    if guessed and not adjacent:
        return False
    speaker = previous.speaker
    reason = speaker.reason
    if not adjacent and not speaker.uncertain:
        reason = "a quotation with no cue, not right after its supposed speaker's words"
    candidate.speaker = Speaker(
        speaker.span, speaker.text, speaker.name, speaker.entity,
        uncertain=speaker.uncertain or not adjacent, anonymous=speaker.anonymous, reason=reason,
    )
    candidate.medium = previous.medium or resolver.carried_medium(speaker, candidate.position)
    return True


def _resolve_all(
    ctx: Context, candidates: Iterable[Candidate], unheard: Collection[int] = ()
) -> None:
    """Resolve speakers and media in text order. Candidates whose id() is in `unheard` (the
    tagger's) are resolved but not remembered: the rules' own attributions resolve as they
    would without them (a later "he" or a medium carried over never leans on a guess)."""
    resolver = SpeakerResolver(ctx)
    for candidate in candidates:
        remember = resolver.remember if id(candidate) not in unheard else _ignore
        guessed = candidate.subject is not None
        if candidate.cue is None and candidate.kind == "direct" and _inherit(
            resolver, ctx, candidate, guessed=guessed
        ):
            remember(candidate)
            continue
        speaker = resolver.resolve(candidate)
        if candidate.cue is None and candidate.subject is not None:
            speaker = Speaker(speaker.span, speaker.text, speaker.name, speaker.entity,
                              uncertain=True, anonymous=speaker.anonymous,
                              reason=speaker.reason or "no cue: the subject of the verb above")
        candidate.speaker = speaker
        frame = _frame_text(ctx, candidate)
        candidate.medium = find_medium(frame)
        goes_on = (candidate.entry is not None and candidate.entry.continues) or bool(
            SAME_OCCASION.search(frame)
        )
        if candidate.medium is None and goes_on and speaker.name:
            candidate.medium = resolver.carried_medium(speaker, candidate.position)
        candidate.relay = resolver.relay(speaker, candidate.cue_token)
        remember(candidate)


def _ignore(candidate: Candidate) -> None:
    """What `_resolve_all` does with a candidate it must not remember."""


def _resolved_candidates(
    ctx: Context, model: TaggerModel | None, span_model: SpanModel | None = None,
    noun_model: NounModel | None = None,
) -> tuple[list[Candidate], list[Candidate]]:
    """Every candidate, speakers resolved, in content order; and those the taggers added.
    `span_model` moves the contents' bounds where it is sure the rules' are wrong;
    `noun_model` adds the views a noun names ("his call to ...")."""
    quotes, headlines = quote_candidates(ctx), headline_candidates(ctx)
    headlines += title_verb_candidates(ctx)
    share_headline_cue(quotes, headlines)
    quotes = drop_not_speech(ctx, quotes, headlines)
    candidates = [
        *quotes, *reported_candidates(ctx), *according_to_candidates(ctx), *headlines,
        *survey_candidates(ctx),
    ]
    added = propose(ctx, candidates, model) if model is not None else []
    if noun_model is not None:
        added += propose_nouns(ctx, candidates + added, noun_model)
    candidates = drop_nested(drop_duplicates(candidates + added))
    candidates.sort(key=lambda c: (c.position, c.content))
    _resolve_all(ctx, candidates, {id(c) for c in added})
    if span_model is not None:
        # After the speakers: they resolve as the rules' bounds let them (a later "he", a
        # "we" inside a quote), the model only moves where the words start and end.
        refine(ctx, candidates, span_model)
    candidates.sort(key=lambda c: (c.content, c.cue or (0, 0)))
    return candidates, added


def extract_attributions(
    document: Document, parsed: Doc, mentions: Sequence[Mention] = (), *, tagger: bool = True,
    model: TaggerModel | None = None, spans: bool = True, span_model: SpanModel | None = None,
    nouns: bool = False, noun_model: NounModel | None = None,
) -> list[Attribution]:
    """Who said what in one document, in text order.

    `parsed.text` must be `document.text`; `mentions` (from `rashomon.entities`) name people and
    organisations when given, else spaCy's own entities are used. `tagger`: let the trained
    tagger (`model`, by default the shipped one) add the attributions of verbs the lexicon
    lacks; off, or with no model shipped, the rules work alone. `spans`: let the trained
    boundary model (`span_model`, by default the shipped one) move where contents start and
    end; off, or with no model shipped, the rules' bounds stand. `nouns`: let the trained
    noun-cue tagger (`noun_model`, by default the shipped one) add the views a noun names
    with their holder ("his call to ban ...", "Silva's claim that ..."). Off by default: on
    PolNeAR dev it lowers the cue F1 below its floor for a gain within the noise (README).
    """
    ctx = context_for(document, parsed, mentions)
    if tagger:
        model = model or load_model()
    else:
        model = None
    span_model = (span_model or load_span_model()) if spans else None
    noun_model = (noun_model or load_noun_model()) if nouns else None
    candidates, _ = _resolved_candidates(ctx, model, span_model, noun_model)
    return [
        Attribution(
            id=f"{document.id}:a{n}",
            doc=document.id,
            speaker=c.speaker or Speaker(None, "", uncertain=True),
            cue=document.span(*c.cue) if c.cue else None,
            content=document.span(*c.content),
            kind=c.kind,
            stance=c.stance,
            medium=c.medium,
            relay=c.relay,
        )
        for n, c in enumerate(candidates, 1)
    ]
