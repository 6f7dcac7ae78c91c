"""Search: each word a prefix, accents ignored, internal notes searched,
the "all" scope, and hostile input that never errors."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from console.models.db import Cache
from console.services import notes, queue, search, workflow
from console.services.queue import QueueFilter, fts_query, search_words, sql
from tests.helpers.factories import add_account, conv_by_key, msg, person, put


def _ids(cache: Cache, search_text: str, view: str = "all") -> set[str]:
    with cache.read() as s:
        flt = QueueFilter(view=view, search=search_text)
        return {r.id for r in queue.iterate(s, flt)}


@pytest.fixture
def convs(cache: Cache) -> dict[str, str]:
    acc = add_account(cache)
    put(
        cache,
        acc,
        msg("be", author=person("Lotte"), text="Livrez-vous en Belgique ? Et la crème ?"),
        msg("bike", author=person("Sam"), text="My bike needs a new wheel"),
        msg("quiet", author=person("Noor"), text="Just saying hello"),
        msg("mail", author=person("Dee"), text="See attached", subject="Facture 311"),
    )
    return {k: conv_by_key(cache, acc, k).id for k in ("be", "bike", "quiet", "mail")}


def test_each_word_is_a_prefix(cache: Cache, convs: dict[str, str]) -> None:
    assert _ids(cache, "Belg") == {convs["be"]}
    assert _ids(cache, "belgique") == {convs["be"]}  # a whole word is its own prefix
    assert _ids(cache, "livr") == {convs["be"]}
    assert _ids(cache, "bel liv") == {convs["be"]}  # every word, each a prefix
    assert _ids(cache, "belg wheel") == set()
    assert _ids(cache, "whe bik") == {convs["bike"]}
    assert _ids(cache, "Lot") == {convs["be"]}  # contact names too
    assert _ids(cache, "fact 311") == {convs["mail"]}  # and subjects


def test_accents_and_case_are_ignored(cache: Cache, convs: dict[str, str]) -> None:
    assert _ids(cache, "creme") == {convs["be"]}
    assert _ids(cache, "CRÈ") == {convs["be"]}
    assert _ids(cache, "belgiqué") == {convs["be"]}


def test_a_word_under_three_letters_is_a_whole_word() -> None:
    assert fts_query("a li belg") == '"a" "li" "belg"*'
    assert fts_query("   ") is None
    assert search_words("l'été, Belg!") == ["l", "été", "Belg"]


def test_prefixes_are_spelled_out_as_the_index_terms(
    cache: Cache, convs: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prefix becomes the terms it stands for, so a common one can take the
    per-conversation probe plan; the answers are the same either way."""
    with cache.read() as s:
        assert sql.expand_prefixes(s, "Bel whe crè") == ('("belgique") AND ("wheel") AND ("creme")')
        assert sql.expand_prefixes(s, "zzq a") == '"zzq"* AND "a"'  # no such term: as typed
        assert sql.expand_prefixes(s, "ΑΘΗ") == '"ΑΘΗ"*'  # not Latin: left to FTS5
    monkeypatch.setattr(sql, "MAX_TERMS", 0)
    assert _ids(cache, "belg") == {convs["be"]}  # too many terms: a prefix query
    monkeypatch.setattr(sql, "MAX_TERMS", 64)
    monkeypatch.setattr(sql, "DENSE_MATCHES", 1)  # every term "common": the probe plan
    assert _ids(cache, "Belg") == {convs["be"]}
    assert _ids(cache, "whe bik") == {convs["bike"]}
    cache.writer.call(lambda tx: notes.add_note(tx, convs["quiet"], "Belgique aussi"))
    assert _ids(cache, "belg") == {convs["be"], convs["quiet"]}


def test_an_internal_note_matches(cache: Cache, convs: dict[str, str]) -> None:
    assert _ids(cache, "palette") == set()
    cache.writer.call(lambda tx: notes.add_note(tx, convs["quiet"], "Transporteur: palette perdue"))
    assert _ids(cache, "palet") == {convs["quiet"]}
    assert _ids(cache, "transp perd") == {convs["quiet"]}
    assert _ids(cache, "palet", view="open") == {convs["quiet"]}


def test_note_index_follows_the_notes_table(cache: Cache, convs: dict[str, str]) -> None:
    """Triggers keep note_fts in step with any write to notes: a moved note
    is found on its new conversation, a deleted one nowhere."""
    note = cache.writer.call(lambda tx: notes.add_note(tx, convs["quiet"], "Remboursement promis"))
    note_id = note.id

    def move(tx: object) -> None:
        tx.session.execute(  # type: ignore[attr-defined]
            text("UPDATE notes SET conversation_id = :c WHERE id = :n"),
            {"c": convs["bike"], "n": note_id},
        )

    cache.writer.call(move)
    assert _ids(cache, "rembour") == {convs["bike"]}

    def delete(tx: object) -> None:
        tx.session.execute(text("DELETE FROM notes WHERE id = :n"), {"n": note_id})  # type: ignore[attr-defined]

    cache.writer.call(delete)
    assert _ids(cache, "rembour") == set()
    with cache.read() as s:
        assert s.execute(text("SELECT count(*) FROM note_fts")).scalar_one() == 0


def test_all_scope_finds_closed_and_snoozed(cache: Cache, convs: dict[str, str]) -> None:
    cache.writer.call(lambda tx: workflow.set_status(tx, convs["be"], "closed"))
    assert _ids(cache, "belg", view="open") == set()
    assert _ids(cache, "belg", view="all") == {convs["be"]}
    assert _ids(cache, "belg", view="closed") == {convs["be"]}


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '"belg',
        "belg*",
        "*",
        "NEAR(belg wheel)",
        "belg -wheel",
        "belg OR wheel",
        "(belg",
        "belg)",
        "^belg",
        "belg:",
        "text:belg",
        "\ud800belg",  # a lone surrogate
        "belg\x00",
        "{belg}",
        "AND",
    ],
)
def test_hostile_input_never_errors(cache: Cache, convs: dict[str, str], hostile: str) -> None:
    found = _ids(cache, hostile)
    assert found <= set(convs.values())
    with cache.read() as s:
        search.search_messages(s, hostile)
    if [w.lower() for w in search_words(hostile)] == ["belg"]:
        assert found == {convs["be"]}  # the words still count, the syntax does not


def test_search_messages_uses_prefixes(cache: Cache, convs: dict[str, str]) -> None:
    with cache.read() as s:
        hits = search.search_messages(s, "Belg")
    assert [h.conversation_id for h in hits] == [convs["be"]]
    assert "[Belgique]" in hits[0].snippet


def test_highlights_never_break_the_escaping() -> None:
    from console.views.search_marks import MARK_OPEN, mark_markup, mark_text, spans

    assert spans("Livrez en Belgique, crème", ["belg", "creme"]) == [(10, 14), (20, 25)]
    assert spans("abelg belg", ["belg"]) == [(6, 10)]  # a word's start, not its middle
    assert mark_text("<b>Belg</b> & co", ["belg"]) == (
        f"&lt;b&gt;{MARK_OPEN}Belg</span>&lt;/b&gt; &amp; co"
    )
    markup = "<a href='https://belg.example/?q=belg'>Belgique &amp; &lt;script&gt;</a>"
    marked = mark_markup(markup, ["belg", "script"])
    assert marked.startswith("<a href='https://belg.example/?q=belg'>")  # tags untouched
    assert f"{MARK_OPEN}Belg</span>ique &amp; &lt;{MARK_OPEN}script</span>&gt;</a>" in marked
    assert mark_markup(markup, []) == markup
    assert mark_text("\ud800belg", ["belg"]).endswith("belg</span>")  # a lone surrogate passes
