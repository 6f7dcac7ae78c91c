"""What people type into ids, names and notes: prefixes match literally, tags and member
names follow one rule (services/names.py) from the CLI and the window, notes
are capped."""

from __future__ import annotations

from typing import Any

import pytest

from console.models.schema import Conversation, ConversationTag, Tag, TeamMember
from console.models.types import utcnow
from console.services import accounts, team, workflow
from console.services.errors import InvalidArgument, NotFound
from tests.helpers.factories import add_account, conv_by_key, msg, person, put


@pytest.fixture
def conv_id(cache: Any) -> str:
    acc = add_account(cache)
    put(cache, acc, msg("t", author=person("Noor"), text="Do you ship to Belgium?"))
    cache.writer.call(lambda tx: team.add_member(tx, "Camille Martin", "lead"))
    cache.writer.call(lambda tx: team.set_me(tx, "Camille Martin"))
    return conv_by_key(cache, acc, "t").id


def tags_of(cache: Any, conv_id: str) -> list[str]:
    with cache.read() as s:
        conv = s.get(Conversation, conv_id)
        return sorted(t.name for t in conv.tags)


# --- id prefixes ---------------------------------------------------------------


@pytest.mark.parametrize("typed", ["%%%%", "____", "%", "_%_%_", "0%", "%0"])
def test_percent_and_underscore_in_an_id_prefix_are_not_wildcards(
    cache: Any, conv_id: str, typed: str
) -> None:
    with cache.read() as s, pytest.raises(NotFound):
        workflow.resolve(s, typed + "0" * max(0, 4 - len(typed)))


def test_a_real_prefix_or_tail_still_resolves_and_an_ambiguous_one_says_so(
    cache: Any, conv_id: str
) -> None:
    acc = add_account(cache, handle="other@social.example")
    put(cache, acc, msg("u", author=person("Bob")))
    with cache.read() as s:
        assert workflow.resolve(s, conv_id[-8:]).id == conv_id
        assert workflow.resolve(s, conv_id[:30]).id in {conv_id, conv_id}
        with pytest.raises(InvalidArgument, match="several"):
            workflow.resolve(s, conv_id[:4])  # UUIDv7 ids made together share a start


def test_an_ambiguous_account_prefix_says_so(cache: Any) -> None:
    from console.models.schema import Account

    first = add_account(cache)
    second = add_account(cache, handle="two@social.example")
    common = 0
    while first[common] == second[common]:
        common += 1
    with cache.read() as s:
        with pytest.raises(InvalidArgument, match="several accounts"):
            accounts.find_account(s, first[: max(common, 4)])
        assert accounts.find_account(s, first).id == first
        assert s.get(Account, second) is not None


# --- tags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        "#",
        "livr\naison",
        "tab\there",
        "\x1b]52;c;ZXZpbA==\x07",
        "a\x7fb",
        "a\x9bb",
        "\u202eevil",
        "in\u2066visible",
        "zero\u200bwidth",
        "x" * 65,
        "x" * 100_000,
    ],
)
def test_a_bad_tag_is_refused_in_one_sentence(cache: Any, conv_id: str, bad: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        cache.writer.call(lambda tx: workflow.tag(tx, conv_id, bad))
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 200
    assert tags_of(cache, conv_id) == []


def test_a_tag_is_trimmed_nfc_and_at_most_64_characters(cache: Any, conv_id: str) -> None:
    cache.writer.call(lambda tx: workflow.tag(tx, conv_id, "  #Cafe\u0301   cr\u00e8me \n"))
    cache.writer.call(lambda tx: workflow.tag(tx, conv_id, "x" * 64))
    assert tags_of(cache, conv_id) == ["Café crème", "x" * 64]


def test_a_twin_by_case_is_the_existing_tag(cache: Any, conv_id: str) -> None:
    cache.writer.call(lambda tx: workflow.tag(tx, conv_id, "livraison"))
    cache.writer.call(lambda tx: workflow.tag(tx, conv_id, "LIVRAISON"))
    cache.writer.call(lambda tx: workflow.tag(tx, conv_id, "Livrai\u200cson"))  # a joiner
    assert tags_of(cache, conv_id) == ["livraison"]
    with cache.read() as s:
        assert [t.name for t in s.query(Tag)] == ["livraison"]
    cache.writer.call(lambda tx: workflow.untag(tx, conv_id, "Livraison"))
    assert tags_of(cache, conv_id) == []


def test_twins_in_an_old_cache_resolve_to_the_oldest_and_untag_removes_all(
    cache: Any, conv_id: str
) -> None:
    def old_twins(tx: Any) -> None:
        older = Tag(name="livraison")
        tx.session.add(older)
        tx.session.flush()
        newer = Tag(name="LIVRAISON")
        tx.session.add(newer)
        tx.session.flush()
        tx.session.add(ConversationTag(conversation_id=conv_id, tag_id=newer.id))

    cache.writer.call(old_twins)
    cache.writer.call(lambda tx: workflow.tag(tx, conv_id, "Livraison"))
    assert tags_of(cache, conv_id) == ["LIVRAISON", "livraison"]  # lists show what is stored
    with cache.read() as s:
        found = workflow.find_tag(s, "LivRaison")
        assert found is not None and found.name == "livraison"
    cache.writer.call(lambda tx: workflow.untag(tx, conv_id, "livraison"))
    assert tags_of(cache, conv_id) == []


# --- team member names -----------------------------------------------------------


def test_a_twin_member_name_is_the_existing_member(cache: Any, conv_id: str) -> None:
    ana = cache.writer.call(lambda tx: team.add_member(tx, "Ana Souza", "agent").id)
    again = cache.writer.call(lambda tx: team.add_member(tx, "  ANA   souza ", "lead").id)
    assert again == ana
    with cache.read() as s:
        assert [m.name for m in team.list_members(s)] == ["Ana Souza", "Camille Martin"]
        assert team.find_member(s, "ana  SOUZA").role == "lead"


@pytest.mark.parametrize(
    "bad", ["", "  ", "Ana\nSouza", "Ana\u202eazuoS", "\x1b]0;t\x07", "N" * 65, "a\u2028b"]
)
def test_a_bad_member_name_is_refused(cache: Any, conv_id: str, bad: str) -> None:
    with pytest.raises(InvalidArgument):
        cache.writer.call(lambda tx: team.add_member(tx, bad, "agent"))
    with cache.read() as s:
        assert [m.name for m in team.list_members(s)] == ["Camille Martin"]


def test_names_with_joiners_and_accents_are_kept(cache: Any, conv_id: str) -> None:
    name = "Mi\u200cnā Ko\u0301"  # ZWNJ (Persian), a combining accent made NFC
    added = cache.writer.call(lambda tx: team.add_member(tx, name, "agent").name)
    assert added == "Mi\u200cnā Kó"


def test_twin_members_in_an_old_cache_resolve_to_the_oldest(cache: Any, conv_id: str) -> None:
    def old_twins(tx: Any) -> None:
        tx.session.add(TeamMember(name="Bob", role="agent", created_at=utcnow()))
        tx.session.flush()
        tx.session.add(TeamMember(name="BOB", role="lead", created_at=utcnow()))

    cache.writer.call(old_twins)
    with cache.read() as s:
        assert team.find_member(s, "bob").name == "Bob"


# --- notes ---------------------------------------------------------------------


def test_a_note_is_capped_at_10000_characters_and_nothing_is_stored(
    cache: Any, conv_id: str
) -> None:
    from console.services import notes

    with pytest.raises(InvalidArgument, match="at most 10,000 characters"):
        cache.writer.call(lambda tx: notes.add_note(tx, conv_id, "x" * 10_001))
    with pytest.raises(InvalidArgument):
        cache.writer.call(lambda tx: notes.add_note(tx, conv_id, "y" * 5_000_000))
    with cache.read() as s:
        assert notes.notes_for(s, conv_id) == []
    cache.writer.call(lambda tx: notes.add_note(tx, conv_id, " " + "z" * 10_000 + "\n"))
    with cache.read() as s:
        assert [len(n.text) for n in notes.notes_for(s, conv_id)] == [10_000]


# --- saved replies (the same kind of name, in the window's menu) --------------------


def test_saved_reply_names_follow_the_same_rule(cache: Any) -> None:
    from console.services import saved_replies

    first = cache.writer.call(lambda tx: saved_replies.add_reply(tx, "Shipping", "It left.").id)
    with pytest.raises(InvalidArgument, match="already exists"):
        cache.writer.call(lambda tx: saved_replies.add_reply(tx, "SHIPPING ", "Again"))
    for bad in ("Ship\nping", "\u202egnippihs", "x" * 65):
        with pytest.raises(InvalidArgument):
            cache.writer.call(lambda tx, b=bad: saved_replies.add_reply(tx, b, "Text"))
    same = cache.writer.call(lambda tx: saved_replies.save_reply(tx, "shipping", "Gone.").id)
    assert same == first
