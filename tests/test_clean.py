"""Cleaning: furniture out, sentences kept, metadata found, offsets exact.

Every article here is invented (the port town of Vellmar, the Harbour Ledger, ...): the rules
must work from general features, not from strings of the articles they were tuned on.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from rashomon.clean import clean
from rashomon.errors import InputError, LanguageError
from rashomon.model import Document, RawDocument, document_id

SUMMARY = (
    "The Vellmar port authority approved emergency repairs to the old swing bridge. "
    "Engineers warned that the span could stay closed for months."
)
LEDE = (
    "Vellmar/Ostrand, June 3, 2031 – Port authority chair Ilse Brandt said on Tuesday that "
    "the board had voted to fund emergency repairs to the swing bridge."
)
QUOTE = "“We cannot wait for another winter,” Brandt told reporters after the vote."
COST = "Engineers said the work would take at least four months and cost about 12 million crowns."
CLOSE = "Opposition councillor Arne Vik questioned the cost and asked for a second survey."

ARTICLE = "\n".join([
    "Port Authority Approves Vellmar Bridge Repairs",
    "",
    SUMMARY,
    "",
    "Port Authority Approves Vellmar Bridge Repairs",
    "Vellmar bridge vote",
    "",
    LEDE,
    "Photo: Tomas Reyes/Harbour Ledger",
    QUOTE,
    "JOIN OUR CHANNEL ON SIGNALWAVE",
    "Follow @Harbourledger_official for live updates from the strait.",
    "",
    "Ferry Fares Rise Again Across the Strait",
    COST,
    "(Tomas Reyes/Getty Images)",
    CLOSE,
    "Spotted a typo? Select it and hit Ctrl + Enter",
])


def _clean(text: str, **metadata: str) -> Document:
    return clean(RawDocument(source="article.txt", source_key="article.txt", text=text, **metadata))


def _between_paragraphs(line: str) -> str:
    return f"{SUMMARY}\n{line}\n{COST}\n\n{CLOSE}"


@pytest.fixture(scope="module")
def article() -> Document:
    return _clean(ARTICLE)


def test_clean_title_repeated_after_summary_is_kept_once(article: Document) -> None:
    assert article.title == "Port Authority Approves Vellmar Bridge Repairs"
    assert "Port Authority Approves" not in article.text
    assert article.text.startswith(SUMMARY)


def test_clean_tag_line_under_the_title_goes(article: Document) -> None:
    assert "Vellmar bridge vote" not in article.text


def test_clean_dateline_gives_place_and_date_and_leaves_the_body(article: Document) -> None:
    assert article.dateline_place == "Vellmar/Ostrand"
    assert article.published == "2031-06-03"
    assert "June 3, 2031" not in article.text
    assert "\n\nPort authority chair Ilse Brandt said on Tuesday" in article.text


def test_clean_follow_line_handle_names_the_outlet(article: Document) -> None:
    assert article.outlet == "Harbour Ledger"
    assert "@Harbourledger_official" not in article.text
    assert "SIGNALWAVE" not in article.text


def test_clean_drops_captions_prompts_and_related_headlines(article: Document) -> None:
    for furniture in ("Photo:", "Getty Images", "Ctrl + Enter", "Ferry Fares Rise Again"):
        assert furniture not in article.text


def test_clean_keeps_every_sentence_of_the_article(article: Document) -> None:
    for sentence in (SUMMARY, QUOTE, COST, CLOSE, LEDE.split(" – ", 1)[1]):
        assert sentence in article.text


def test_clean_offsets_map_every_kept_character_back(article: Document) -> None:
    _assert_offsets_exact(article)


def test_clean_removed_accounts_for_every_dropped_character(article: Document) -> None:
    _assert_raw_accounted_for(article)


def test_clean_id_source_and_language(article: Document) -> None:
    assert article.id == document_id("article.txt", article.text)
    assert (article.source, article.source_key, article.raw_text) == (
        "article.txt", "article.txt", ARTICLE,
    )
    assert article.language == "en"


def test_clean_section_kicker_before_the_headline_is_not_the_title() -> None:
    document = _clean(f"Europe\nPort Authority Approves Vellmar Bridge Repairs\n\n{SUMMARY}")
    assert document.title == "Port Authority Approves Vellmar Bridge Repairs"
    assert document.text == SUMMARY


def test_clean_standfirst_without_full_stop_is_kept() -> None:
    standfirst = "Engineers say the span could stay closed until the spring thaw"
    document = _clean(f"Vellmar bridge to close for repairs\n{standfirst}\n{COST}")
    assert document.title == "Vellmar bridge to close for repairs"
    assert document.text == f"{standfirst}\n{COST}"


def test_clean_first_line_that_is_a_sentence_is_not_a_title() -> None:
    text = f"{CLOSE}\n{QUOTE}\n{COST}"
    document = _clean(text)
    assert document.title is None
    assert document.text == text


@pytest.mark.parametrize(
    "furniture",
    [
        "JOIN US ON SIGNALWAVE",
        "Follow the Harbour Ledger on Chirper for live updates.",
        "Subscribe to our morning newsletter to get the port news first.",
        "We use cookies to improve your experience on this site.",
        "Share this article",
        "Read more: Ostrand ferry strike enters second week",
        "Related: Councillors reject harbour tax",
        "Photo: Lena Park / Ostrand Wire",
        "(Photo by Lena Park/Ostrand Wire)",
        "Photo: Port workers inspect the cracked cable on the Vellmar bridge on Tuesday.",
        "Workers inspect the cracked cable of the swing bridge in the harbour on a grey morning"
        " after the storm. (Lena Park/Getty Images)",
        "Reporting by Lena Park; Editing by Tomas Reyes",
        "You can also select the text and press Ctrl + Enter to report a typo.",
        "Advertisement",
        "https://harbourledger.example/newsletter",
        "Ministers Clash Over Harbour Budget Again",
    ],
)
def test_clean_drops_furniture_between_paragraphs(furniture: str) -> None:
    document = _clean(_between_paragraphs(furniture))
    assert furniture not in document.text
    assert document.text == f"{SUMMARY}\n{COST}\n\n{CLOSE}"
    start = document.raw_text.index(furniture)
    assert (start, start + len(furniture)) in document.removed


@pytest.mark.parametrize(
    "sentence",
    [
        "Follow-up talks between the two councils are planned for Friday.",
        "Support for the repair plan fell among our readers, a poll showed.",
        "Share prices of the ferry operator fell 3 percent on the news.",
        "Copyright lawyers for the port said the bridge design had been copied.",
        "Photo evidence shown to the board revealed deep cracks in the span.",
        "By Thursday, the bridge had been closed to lorries.",
        "Watch officers were posted at both ends of the bridge overnight.",
        "Is the Bridge Safe?",
        "Vik Says “No Blank Cheque” for Repairs",
        "He urged residents to “follow the detour signs” until the spring.",
        "Related talks in Ostrand ended without a deal.",
        "Follow our evacuation maps, the mayor told residents of the harbour district.",
        "If you live near the quay, sign up for flood alerts, the council urged residents.",
    ],
)
def test_clean_keeps_sentences_that_look_like_furniture(sentence: str) -> None:
    document = _clean(_between_paragraphs(sentence))
    assert sentence in document.text
    assert not document.removed


@pytest.mark.parametrize(
    "subhead", ["Repair Costs and the Winter Timetable", "What Comes Next", "Background"]
)
def test_clean_drops_section_subheads_between_paragraphs(subhead: str) -> None:
    document = _clean(f"{SUMMARY}\n\n{subhead}\n\n{COST}")
    assert subhead not in document.text
    assert document.text == f"{SUMMARY}\n\n{COST}"


@pytest.mark.parametrize(
    ("dateline", "place", "published", "outlet"),
    [
        ("Vellmar, June 3, 2031 –", "Vellmar", "2031-06-03", None),
        ("Vellmar, 3 June 2031 —", "Vellmar", "2031-06-03", None),
        ("VELLMAR (Ostrand Wire) -", "VELLMAR", None, "Ostrand Wire"),
        ("Vellmar, June 3 (Ostrand Wire) -", "Vellmar", None, "Ostrand Wire"),
        ("VELLMAR, Nordmark —", "VELLMAR, Nordmark", None, None),
        ("New Vellmar, June 3, 2031 --", "New Vellmar", "2031-06-03", None),
    ],
)
def test_clean_dateline_forms(
    dateline: str, place: str, published: str | None, outlet: str | None
) -> None:
    body = "Port authority chair Ilse Brandt said the bridge would close for repairs."
    document = _clean(f"{dateline} {body}\n{COST}")
    assert document.dateline_place == place
    assert document.published == published
    assert document.outlet == outlet
    assert document.text.startswith(body)


@pytest.mark.parametrize(
    "opening",
    ["Meanwhile – the ferry kept running.", "Brandt – a former engineer – chaired the vote."],
)
def test_clean_dash_after_a_capitalised_word_is_no_dateline(opening: str) -> None:
    document = _clean(f"{SUMMARY}\n{opening}\n{COST}")
    assert document.dateline_place is None
    assert opening in document.text


def test_clean_hyphenated_name_after_the_opening_sentences_is_no_dateline() -> None:
    # once the story has begun, "VNB - TV reports ..." is a channel's name, not a dateline;
    # the page address that sat above the article is gone, and must not change that
    sentence = "VNB - TV reports that two ferries collided near the harbour mouth."
    document = _clean(
        "http: / / harbourledger. example / news / ferries\n"
        f"{HEADLINE}\n{SUMMARY}\nThe coastguard sent two boats.\n{sentence}\n{COST}"
    )
    assert document.dateline_place is None
    assert sentence in document.text


def test_clean_capitals_dateline_opening_the_body_still_counts() -> None:
    body = "Port authority chair Ilse Brandt said the bridge would close for repairs."
    document = _clean(f"{HEADLINE}\nVELLMAR - {body}\n{COST}")
    assert document.dateline_place == "VELLMAR"
    assert document.text.startswith(body)


def test_clean_sentence_cut_off_at_a_comma_is_kept_as_the_body() -> None:
    # the page stopped mid-sentence: no line ends like a sentence, yet this is the article
    cut = ("Early on Friday the 26 - year - old singer Ana Silva checked into the Dornach "
           "Clinic in Port Veyra, Nordmark,")
    document = _clean(
        f"http: / / harbourledger. example / news / silva\n{HEADLINE}\nJune 3, 2031\n{cut}"
    )
    assert document.text == cut
    assert (document.title, document.published) == (HEADLINE, "2031-06-03")


@pytest.mark.parametrize(
    ("handle", "outlet"),
    [
        ("@Harbourledger_official", "Harbour Ledger"),
        ("@OstrandGazetteTV", "Ostrand Gazette"),
        ("@vellmar_times", "Vellmar Times"),
        ("@NordmarkDailyNews", "Nordmark Daily"),
    ],
)
def test_clean_outlet_from_handle(handle: str, outlet: str) -> None:
    document = _clean(_between_paragraphs(f"Join us on Chirper: {handle}"))
    assert document.outlet == outlet


def test_clean_handle_of_someone_in_the_story_is_not_the_outlet() -> None:
    post = "Brandt, posting as @ilse_brandt_vellmar, thanked the crews."
    text = _between_paragraphs("@ilse_brandt_vellmar") + "\n" + post
    document = _clean(text)
    assert document.outlet is None
    assert "thanked the crews" in document.text


def test_clean_outlet_from_copyright_line_wins_over_a_handle() -> None:
    copyright_line = "© 2031 Vellmar Evening Post. All rights reserved."
    text = _between_paragraphs("Follow us on @vellmar_times") + "\n" + copyright_line
    assert _clean(text).outlet == "Vellmar Evening Post"


def test_clean_byline_and_date_line_become_metadata() -> None:
    text = (
        "Bridge Repairs Approved\nBy Ilse Brandt and Arne Vik\n"
        f"Published: 3 June 2031, 10:15 CET\n\n{SUMMARY}"
    )
    document = _clean(text)
    assert (document.title, document.author, document.published) == (
        "Bridge Repairs Approved", "Ilse Brandt and Arne Vik", "2031-06-03",
    )
    assert document.text == SUMMARY


def test_clean_given_metadata_wins_over_detected() -> None:
    document = _clean(
        ARTICLE, title="Bridge to Close", outlet="Ostrand Wire", published="2031-06-04",
        author="Lena Park", url="https://ostrand.example/bridge",
    )
    found = (document.title, document.outlet, document.published, document.author, document.url)
    assert found == (
        "Bridge to Close", "Ostrand Wire", "2031-06-04", "Lena Park",
        "https://ostrand.example/bridge",
    )
    assert document.dateline_place == "Vellmar/Ostrand"


def test_clean_given_title_repeated_in_text_is_dropped() -> None:
    document = _clean(f"{SUMMARY}\n\nBridge to close for repairs, board says\n\n{COST}",
                      title="Bridge to close for repairs, board says")
    assert "Bridge to close" not in document.text


def test_clean_repeated_paragraph_is_kept_once() -> None:
    document = _clean(f"{SUMMARY}\n\n{COST}\n\n{SUMMARY}")
    assert document.text == f"{SUMMARY}\n\n{COST}"


def test_clean_hard_wrapped_lines_are_kept() -> None:
    wrapped = (
        "The port authority met in closed session on Tuesday and\n"
        "Ilse Brandt, its chair, told the board that the bridge\n"
        "could not survive another winter without new cables.\n"
        "Short line\n"
        "with the rest of the sentence."
    )
    document = _clean(wrapped)
    assert document.text == wrapped
    assert document.title is None


def test_clean_keeps_curly_quotes_and_inner_spacing() -> None:
    line = "“We  cannot wait,”\tBrandt said of the ‘old lady’ of the harbour."
    document = _clean(f"  {line}  \r\n{COST}\r\n")
    assert document.text == f"{line}\n{COST}"
    _assert_offsets_exact(document)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Le conseil portuaire de Vellmar a voté mardi la réparation urgente du vieux pont "
            "tournant. Les ingénieurs ont averti que l’ouvrage pourrait rester fermé pendant "
            "plusieurs mois, selon la présidente Ilse Brandt.",
            "fr",
        ),
        (
            "La autoridad portuaria de Vellmar aprobó el martes la reparación urgente del viejo "
            "puente giratorio. Los ingenieros advirtieron que el puente podría permanecer cerrado "
            "durante varios meses, según su presidenta.",
            "es",
        ),
    ],
)
def test_clean_refuses_articles_not_in_english(text: str, language: str) -> None:
    with pytest.raises(LanguageError, match=f"language is {language}, not English"):
        _clean(text)


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Ilse Brandt opened the Vellmar bridge.",
        "Brandt, Vik and Ostrand Wire: Vellmar bridge reopens Monday after repairs.",
        "Ilse Brandt and Arne Vik met Tomas Reyes in Vellmar on Monday to sign the deal.",
    ],
)
def test_clean_accepts_short_english_full_of_names(text: str) -> None:
    assert _clean(text).language == "en"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  \n\n\t\n",
        "JOIN US ON SIGNALWAVE\nShare this article\n"
        "Spotted a typo? Select it and hit Ctrl + Enter",
        "Bridge Repairs Approved\n\nVellmar bridge vote",
    ],
)
def test_clean_refuses_text_with_nothing_left(text: str) -> None:
    with pytest.raises(InputError, match="article.txt") as caught:
        _clean(text)
    assert not isinstance(caught.value, LanguageError)


# --- offset map -------------------------------------------------------------------------------


def _assert_offsets_exact(document: Document) -> None:
    """Every character of the text that came from the raw text maps back to that character."""
    covered: set[int] = set()
    for clean_start, raw_start, length in document.offsets.segments:
        assert document.text[clean_start : clean_start + length] == (
            document.raw_text[raw_start : raw_start + length]
        )
        covered.update(range(clean_start, clean_start + length))
    for index, char in enumerate(document.text):
        if index in covered:
            assert document.raw_text[document.offsets.to_raw(index)] == char
        else:
            assert char == "\n", "only separators may be inserted by the cleaner"


# Zero-width characters pad lines in converted HTML; the cleaner strips them like whitespace.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _assert_raw_accounted_for(document: Document) -> None:
    """A raw character that is not padding is either in the text or in a removed span."""
    kept: set[int] = set()
    for _, raw_start, length in document.offsets.segments:
        kept.update(range(raw_start, raw_start + length))
    removed = {i for start, end in document.removed for i in range(start, end)}
    for index, char in enumerate(document.raw_text):
        if not (char.isspace() or char in _INVISIBLE):
            assert index in kept or index in removed, f"raw offset {index} ({char!r}) lost"


_LINES = st.sampled_from([
    SUMMARY, QUOTE, COST, CLOSE, LEDE, "Port Authority Approves Vellmar Bridge Repairs",
    "JOIN US ON SIGNALWAVE", "Follow our coverage on the @Harbourledger_official.",
    "Photo: Lena Park", "Read more: Ferry strike", "press Ctrl + Enter", "Short tag line",
    "continued in lower case and", "“Quoted,” she said.", "", " ", "\t",
    "Posted: 11 / 30 / 31 05: 40 PM ET", "on June 3, 2031 at 10: 15", "http: / / ostrand. example / a",
])
_NOISE = st.text(alphabet="ab Zé.,!?“”\"'\t–-@", max_size=30)
_BREAKS = st.sampled_from(["\n", "\n\n", "\r\n", " \n ", "\n\u200b\n"])


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.one_of(_LINES, _NOISE), _BREAKS), min_size=1, max_size=14))
def test_clean_offset_map_is_exact_for_any_text(parts: list[tuple[str, str]]) -> None:
    # A fixed English paragraph keeps the language check from refusing random noise.
    raw_text = COST + "\n" + "".join(line + brk for line, brk in parts)
    try:
        document = _clean(raw_text)
    except LanguageError:
        reject()
    _assert_offsets_exact(document)
    _assert_raw_accounted_for(document)


# --- date lines and page addresses at the top ---------------------------------------------------

HEADLINE = "Vellmar Bridge Closes for Winter Repairs"


def _under_headline(line: str) -> str:
    return f"{HEADLINE}\n{line}\n{SUMMARY}\n{COST}"


@pytest.mark.parametrize(
    ("date_line", "published"),
    [
        ("December 15th, 2031, 7: 35 am", "2031-12-15"),
        ("26 September 2031, 10: 00 (GMT+05: 00)", "2031-09-26"),
        ("Sat Nov 12 2031, 01: 19 hrs", "2031-11-12"),
        ("Updated: November 11, 2031 20: 09 IST", "2031-11-11"),
        ("TUESDAY, OCTOBER 11, 2031", "2031-10-11"),
        ("12: 52 p. m. EDT May 2, 2031", "2031-05-02"),
        ("Published 12:17 am, Monday, September 16, 2031", "2031-09-16"),
        ("9 September 2031 Last updated at 14:39 GMT", "2031-09-09"),
        ("PUBLISHED: 02:31 GMT, 12 March 2031 | UPDATED: 22:19 GMT, 13 March 2031", "2031-03-12"),
        ("Posted: 11 / 30 / 31 05: 40 PM ET", "2031-11-30"),
        ("Last updated 13:26 14/09/2031", "2031-09-14"),
        ("VNS Nov 12, 2031, 05. 51AM", "2031-11-12"),
        # a wire's name before its date
        ("Ostwire Sep 18, 2031, 02. 16PM IST", "2031-09-18"),
        # months typed by hand, a letter or two astray
        ("Novemer 27, 2031", "2031-11-27"),
        ("Updated: 3 Febuary 2031", "2031-02-03"),
        ("Septmber 9, 2031 at 10: 00", "2031-09-09"),
        # Lower case under the headline: a date line, not the headline's wrapped tail.
        ("on July 13, 2031 at 10:50 AM, updated July 29, 2031 at 12:16 PM", "2031-07-13"),
    ],
)
def test_clean_date_line_at_the_top_gives_the_date_and_leaves_the_body(
    date_line: str, published: str
) -> None:
    document = _clean(_under_headline(date_line))
    assert document.published == published
    assert document.title == HEADLINE
    assert document.text == f"{SUMMARY}\n{COST}"
    start = document.raw_text.index(date_line)
    assert (start, start + len(date_line)) in document.removed


@pytest.mark.parametrize("date_line", ["05 / 02 / 2031 at 10: 20 AM", "Dec. 24 4: 33 AM EST"])
def test_clean_date_line_without_a_sure_date_goes_but_gives_none(date_line: str) -> None:
    # Day and month could swap in the first; the second has no year: neither is guessed.
    document = _clean(_under_headline(date_line))
    assert document.published is None
    assert document.text == f"{SUMMARY}\n{COST}"


def test_clean_given_date_wins_over_the_date_line() -> None:
    document = _clean(_under_headline("Updated: November 11, 2031"), published="2031-11-12")
    assert document.published == "2031-11-12"
    assert "November 11" not in document.text


@pytest.mark.parametrize(
    "sentence",
    [
        "Ferries resumed on 3 June 2031 after the strike.",
        "Posted guards stood at both ends of the bridge on June 3, 2031.",
        "The vote is set for Tuesday, June 3, 2031, Brandt said",
        "Brandt, born May 2, 1981, chaired the board",
        "Updated figures from 11/30/2031 show the toll rising",
    ],
)
def test_clean_date_inside_a_sentence_at_the_top_is_no_date_line(sentence: str) -> None:
    document = _clean(_under_headline(sentence))
    assert sentence in document.text
    assert document.published is None


@pytest.mark.parametrize(
    "line",
    [
        "Decision 27, 2031",  # a word of its own, not a misspelled December
        "Marsh 3, 2031 flooded again",  # a sentence
        "Ostwire reported on Sep 18, 2031 that ferries stopped",  # a sentence naming a wire
        "Brandt Vik Sep 18, 2031",  # two unknown words
        "Born May 2, 1981",  # a word before a date, but no wire's time stamp
    ],
)
def test_clean_near_date_lines_give_no_date(line: str) -> None:
    document = _clean(_under_headline(line))
    assert document.published is None


def test_clean_headline_carrying_a_date_stays_the_title() -> None:
    headline = "Vellmar Ferry Strike Ends: 4 November 2031"
    document = _clean(f"{headline}\nNovember 4, 2031\n{SUMMARY}")
    assert (document.title, document.published, document.text) == (
        headline, "2031-11-04", SUMMARY,
    )


@pytest.mark.parametrize(
    "address",
    [
        (
            "http: / / www. harbourledger. example / news / 2031 / 06 / 03 / vellmar - bridge - "
            "closes - for - winter /? print"
        ),
        "https://harbourledger.example/news/vellmar-bridge-closes",
        "www. harbourledger. example / ostrand / article _ 8123. html",
    ],
)
def test_clean_page_address_at_the_top_goes(address: str) -> None:
    document = _clean(f"{address}\n{HEADLINE}\nJune 3, 2031\n{SUMMARY}\n{COST}")
    assert document.title == HEADLINE
    assert document.published == "2031-06-03"
    assert document.text == f"{SUMMARY}\n{COST}"
    assert (0, len(address)) in document.removed


def test_clean_sentence_opening_with_an_address_is_kept() -> None:
    sentence = "www. harbourledger. example went dark for an hour after the storm hit the mast."
    document = _clean(f"{SUMMARY}\n{sentence}\n{COST}")
    assert sentence in document.text


def test_clean_offsets_exact_around_top_address_and_date_line() -> None:
    raw_text = (
        "http: / / ostrand. example / news / vellmar - bridge\r\n"
        f"{HEADLINE}\n  Updated: 3 June 2031, 10: 15 CET  \n\n{LEDE}\n{QUOTE}\n"
    )
    document = _clean(raw_text)
    assert document.published == "2031-06-03"
    assert document.text.startswith("Port authority chair Ilse Brandt")
    _assert_offsets_exact(document)
    _assert_raw_accounted_for(document)
