"""The demo workspace and the benchmark workspace generator.

The demo is what a new user, a screenshot and the acceptance checks see: a
small bakery-and-bike-shop cooperative ("Atelier Vélo & Pain") with a
Mastodon, a Bluesky and an e-mail account, French and English threads,
a team of four, some overdue work, snoozes, drafts and notes. It is built
once under the data dir with seeded ids (the same ids on every machine),
through the real ingest rules, and never touches the keyring or the network:
its accounts are marked ``demo`` and send through the local demo provider.
"""

from __future__ import annotations

import os
import random
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from console.models import types
from console.models.activity import record_activity
from console.models.db import Cache, open_cache
from console.models.ingest import ingest
from console.models.schema import (
    Account,
    Contact,
    Conversation,
    ConversationTag,
    Draft,
    Note,
    SavedReply,
    Tag,
    TeamMember,
)
from console.models.types import utcnow
from console.models.vocabulary import Status
from console.models.writer import Tx
from console.sync.base import ContactRecord, Direction, FetchResult, Kind, MessageRecord

SEED = 20261124

ACCOUNTS = {
    "masto": ("mastodon", "velopain@social.example", "https://social.example", "Vélo & Pain"),
    "bsky": ("bluesky", "velopain.bsky.social", "https://bsky.social", "Vélo & Pain"),
    "mail": ("email", "contact@velopain.example", "imap.velopain.example", "Vélo & Pain"),
}

# Who writes to us: key -> (network, handle, display name, e-mail)
PEOPLE: dict[str, tuple[str, str, str, str | None]] = {
    "noor": ("mastodon", "noor@piaille.example", "Noor Haddad", "noor.haddad@mail.example"),
    "noor_mail": ("email", "noor.haddad@mail.example", "Noor Haddad", "noor.haddad@mail.example"),
    "jules": ("mastodon", "jules@mastodon.example", "Jules Moreau", None),
    "priya": ("bluesky", "priya.bsky.social", "Priya Raman", None),
    "tom": ("mastodon", "tom@fosstodon.example", "Tom Becker", None),
    "ines": (
        "email",
        "ines.lefevre@laposte.example",
        "Inès Lefèvre",
        "ines.lefevre@laposte.example",
    ),
    "sam": ("bluesky", "samwheels.bsky.social", "Sam O'Connor", None),
    "marc": ("mastodon", "marc@social.example", "Marc Aubert", None),
    "press": (
        "email",
        "c.durand@lequotidien.example",
        "Claire Durand",
        "c.durand@lequotidien.example",
    ),
    "hana": ("bluesky", "hana.bsky.social", "Hana Kimura", None),
    "lucie": ("mastodon", "lucie@piaille.example", "Lucie Garnier", None),
    "ben": ("email", "ben@northcycles.example", "Ben Walsh", "ben@northcycles.example"),
    "oscar": ("mastodon", "oscar@mastodon.example", "Oscar Lind", None),
    "amira": ("bluesky", "amira.bsky.social", "Amira Benali", None),
    "paul": ("email", "paul.girard@orange.example", "Paul Girard", "paul.girard@orange.example"),
    "eva": ("mastodon", "eva@fosstodon.example", "Eva Novak", None),
    "raoul": ("bluesky", "raoul.bsky.social", "Raoul Petit", None),
    "nina": ("email", "nina@studio-nina.example", "Nina Rossi", "nina@studio-nina.example"),
    "spam": ("email", "promo@deals.example", "Super Deals", "promo@deals.example"),
}

TEAM = [
    ("Camille Martin", "lead", True),
    ("Ana Souza", "agent", False),
    ("Yusuf Demir", "agent", False),
    ("Léa Dubois", "admin", False),
]

SAVED_REPLIES = [
    (
        "Opening hours (FR)",
        "Bonjour {{contact.first_name}}, l'atelier est ouvert du mardi au samedi, "
        "de 8 h à 19 h. À bientôt ! — {{me.first_name}}",
    ),
    (
        "Opening hours (EN)",
        "Hi {{contact.first_name}}, the workshop is open Tuesday to Saturday, 8am to 7pm. "
        "See you soon! — {{me.first_name}}",
    ),
    (
        "Outage apology (EN)",
        "Hi {{contact.first_name}}, sorry about that: our booking app had an outage this "
        "morning. It is fixed now, and your booking is safe. — {{me.name}}",
    ),
    (
        "Merci (FR)",
        "Merci beaucoup {{contact.first_name}}, ça fait très plaisir à toute l'équipe !",
    ),
]

HOSTILE_HTML = (
    "<p>Hello, please see the attached quote.</p>"
    '<script>alert("gotcha")</script>'
    '<img src="https://tracker.example/pixel.gif?id=42" width="1" height="1">'
    '<p><a href="javascript:alert(1)">Open the quote</a> or '
    '<a href="https://deals.example/offer">see the offer</a></p>'
    '<iframe src="https://deals.example/frame"></iframe>'
)


@dataclass
class Thread:
    """One demo conversation: messages are (minutes ago, direction, who, text)."""

    key: str
    account: str
    kind: Kind
    messages: list[tuple[float, str, str, str]]
    subject: str | None = None
    assignee: str | None = None
    status: str | None = None  # None: what ingest decided
    snooze_hours: float | None = None
    tags: list[str] = field(default_factory=list)
    priority: int = 0
    notes: list[tuple[str, str]] = field(default_factory=list)
    draft: str | None = None
    html: dict[int, str] = field(default_factory=dict)


H = 60.0
D = 24 * H

THREADS: list[Thread] = [
    Thread(
        "focus",
        "masto",
        Kind.PUBLIC,
        [
            (
                5 * H,
                "in",
                "noor",
                "@velopain Bonjour ! Ma commande #4821 (un vélo cargo) devait "
                "être livrée samedi, je n'ai aucune nouvelle. Vous pouvez regarder ?",
            ),
            (
                4.5 * H,
                "out",
                "us",
                "@noor Bonjour Noor, on regarde tout de suite et on revient "
                "vers vous dans la matinée.",
            ),
            (
                95,
                "in",
                "noor",
                "@velopain Toujours rien… Le suivi indique « en préparation » "
                "depuis une semaine. J'ai aussi écrit par mail.",
            ),
        ],
        assignee="Camille Martin",
        tags=["livraison"],
        priority=1,
        notes=[("Ana Souza", "@Camille le transporteur a perdu la palette, nouvelle date jeudi.")],
        draft="Bonjour Noor, toutes nos excuses : le transporteur a égaré la palette. "
        "Votre vélo cargo repart aujourd'hui et arrivera jeudi. Nous vous offrons la "
        "livraison, et je vous tiens au courant moi-même. — Camille",
    ),
    Thread(
        "<4821-suivi@mail.example>",
        "mail",
        Kind.EMAIL,
        [
            (
                80,
                "in",
                "noor_mail",
                "Bonjour,\n\nJe n'ai toujours pas reçu mon vélo cargo "
                "(commande 4821). Pouvez-vous me dire où il en est ?\n\nCordialement,\nNoor Haddad",
            )
        ],
        subject="Commande 4821 : où en est ma livraison ?",
        assignee="Camille Martin",
        tags=["livraison"],
    ),
    Thread(
        "outage-1",
        "masto",
        Kind.PUBLIC,
        [
            (
                52,
                "in",
                "jules",
                "@velopain votre appli de réservation affiche une erreur 500 "
                "depuis ce matin, impossible de réserver un créneau d'atelier.",
            )
        ],
        tags=["bug", "urgent"],
        priority=2,
        notes=[
            (
                "Léa Dubois",
                "Incident en cours côté hébergeur, ETA 11 h. @Yusuf peux-tu "
                "répondre à tout le monde avec la réponse type ?",
            )
        ],
    ),
    Thread(
        "outage-2",
        "bsky",
        Kind.PUBLIC,
        [
            (
                47,
                "in",
                "priya",
                "@velopain.bsky.social is the booking app down? I get "
                "'something went wrong' on every slot.",
            )
        ],
        assignee="Yusuf Demir",
        tags=["bug", "urgent"],
        priority=2,
    ),
    Thread(
        "outage-3",
        "masto",
        Kind.PUBLIC,
        [
            (
                41,
                "in",
                "tom",
                "@velopain booking page broken for me too. Was planning to bring "
                "my bike in this afternoon :(",
            )
        ],
        assignee="Yusuf Demir",
        tags=["bug"],
        priority=2,
    ),
    Thread(
        "outage-4",
        "bsky",
        Kind.PUBLIC,
        [
            (
                33,
                "in",
                "sam",
                "third time I try to book a repair @velopain.bsky.social, the app "
                "just spins. Anyone else?",
            )
        ],
        tags=["bug"],
        priority=2,
    ),
    Thread(
        "<press-outage@lequotidien.example>",
        "mail",
        Kind.EMAIL,
        [
            (
                28,
                "in",
                "press",
                "Bonjour,\n\nJe suis journaliste au Quotidien. Plusieurs "
                "lecteurs signalent une panne de votre application de réservation. Pourriez-vous "
                "me dire ce qui s'est passé et combien de clients sont concernés ?\n\nMerci,\n"
                "Claire Durand",
            )
        ],
        subject="Demande presse : panne de l'application",
        assignee="Léa Dubois",
        tags=["presse", "urgent"],
        priority=2,
    ),
    Thread(
        "dm:hours",
        "masto",
        Kind.DIRECT,
        [(3 * H, "in", "marc", "Salut ! Vous êtes ouverts le lundi de Pâques ?")],
        tags=[],
    ),
    Thread(
        "dm:belgium",
        "bsky",
        Kind.DIRECT,
        [
            (
                2.2 * H,
                "in",
                "hana",
                "Hi! Do you ship your bread-bike kits to Belgium? And is there a customs fee?",
            )
        ],
        assignee="Ana Souza",
    ),
    Thread(
        "access",
        "masto",
        Kind.PUBLIC,
        [
            (
                6 * H,
                "in",
                "lucie",
                "@velopain est-ce que l'atelier est accessible en fauteuil "
                "roulant ? Il y a une marche à l'entrée il me semble.",
            )
        ],
        assignee="Ana Souza",
        tags=["accessibilité"],
    ),
    Thread(
        "<ben-wholesale@northcycles.example>",
        "mail",
        Kind.EMAIL,
        [
            (
                2 * D,
                "in",
                "ben",
                "Hi team,\n\nWe'd like to stock 20 of your cargo-bike "
                "bread boxes for the spring. Could you send wholesale prices?\n\nBest,\nBen",
            ),
            (
                2 * D - 3 * H,
                "out",
                "us",
                "Hi Ben,\n\nThanks! Prices attached; shipping is "
                "included above 10 units.\n\nCamille",
            ),
            (
                7 * H,
                "in",
                "ben",
                "Great, thanks. Can you do delivery in two batches, March and April?",
            ),
        ],
        subject="Wholesale order for spring",
        assignee="Camille Martin",
        tags=["ventes"],
        priority=1,
    ),
    Thread(
        "praise-1",
        "bsky",
        Kind.PUBLIC,
        [
            (
                9 * H,
                "in",
                "amira",
                "Huge thanks to @velopain.bsky.social for fixing my wheel in "
                "20 minutes this morning. And the croissants! 🥐🚲",
            )
        ],
        tags=["merci"],
    ),
    Thread(
        "praise-2",
        "masto",
        Kind.PUBLIC,
        [
            (
                26 * H,
                "in",
                "oscar",
                "@velopain best coffee-and-tune-up combo in town. See you next week!",
            )
        ],
        status="closed",
        tags=["merci"],
    ),
    Thread(
        "<invoice-311@orange.example>",
        "mail",
        Kind.EMAIL,
        [
            (
                30 * H,
                "in",
                "paul",
                "Bonjour,\n\nJe n'ai pas reçu la facture de ma révision du "
                "12. Pouvez-vous me la renvoyer ?\n\nPaul Girard",
            )
        ],
        subject="Facture révision",
        assignee="Ana Souza",
        status="pending",
        tags=["facturation"],
        notes=[("Ana Souza", "En attente de la compta, relance prévue demain.")],
    ),
    Thread(
        "update-bug",
        "masto",
        Kind.PUBLIC,
        [
            (
                20 * H,
                "in",
                "eva",
                "@velopain since the last app update my loyalty points are "
                "gone. 140 points! Can you restore them?",
            )
        ],
        assignee="Yusuf Demir",
        snooze_hours=18,
        tags=["bug", "fidélité"],
    ),
    Thread(
        "dm:late-snooze",
        "bsky",
        Kind.DIRECT,
        [
            (
                28 * H,
                "in",
                "raoul",
                "Coucou, je passe récupérer mon vélo demain ou il faut attendre la pièce ?",
            )
        ],
        assignee="Ana Souza",
        snooze_hours=-2,  # a snooze that has passed: counts as open
    ),
    Thread(
        "<studio-nina-collab@studio-nina.example>",
        "mail",
        Kind.EMAIL,
        [
            (
                4 * D,
                "in",
                "nina",
                "Hello!\n\nI'm a photographer and would love to do a "
                "little series in your workshop. Would you be up for it?\n\nNina",
            )
        ],
        subject="Photo series in the workshop?",
        snooze_hours=3 * 24,
        tags=["partenariat"],
    ),
    Thread(
        "<promo-8812@deals.example>",
        "mail",
        Kind.EMAIL,
        [(10 * H, "in", "spam", "Special offer")],
        subject="An exclusive offer for Vélo & Pain",
        status="closed",
        html={0: HOSTILE_HTML},
    ),
    Thread(
        "<ines-gift@laposte.example>",
        "mail",
        Kind.EMAIL,
        [
            (
                3 * D,
                "in",
                "ines",
                "Bonjour, proposez-vous des cartes cadeaux ? C'est pour "
                "l'anniversaire de mon fils.",
            ),
            (
                3 * D - 2 * H,
                "out",
                "us",
                "Bonjour Inès, oui ! En boutique ou en ligne, de 20 à 200 €. Belle journée, Ana",
            ),
        ],
        subject="Cartes cadeaux",
        status="closed",
        tags=["ventes"],
    ),
    Thread(
        "tyres",
        "bsky",
        Kind.PUBLIC,
        [
            (
                70,
                "in",
                "sam",
                "@velopain.bsky.social which tyres would you recommend for winter "
                "commuting on cobblestones?",
            )
        ],
    ),
    Thread(
        "workshop-class",
        "masto",
        Kind.PUBLIC,
        [
            (
                5.5 * H,
                "in",
                "tom",
                "@velopain are there still places in Saturday's 'fix your own puncture' class?",
            )
        ],
        assignee="Yusuf Demir",
        draft="Hi Tom, yes — three places left. You can book them in the app (it works again!).",
    ),
    Thread(
        "dm:allergy",
        "masto",
        Kind.DIRECT,
        [
            (
                8 * H,
                "in",
                "lucie",
                "Vos pains au levain contiennent-ils des traces de fruits à "
                "coque ? Mon fils est allergique.",
            )
        ],
        assignee="Léa Dubois",
        tags=["produits"],
        priority=1,
    ),
]


# --------------------------------------------------------------------------
# building the demo


def ensure_demo(path: Path) -> None:
    """Create the demo workspace at ``path`` unless it is there already."""
    if path.exists() and path.stat().st_size > 0:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        build_demo(tmp)
        if not path.exists():
            os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def _contact(key: str) -> ContactRecord:
    network, handle, name, email = PEOPLE[key]
    return ContactRecord(network, handle, handle, name, email=email)


def _us(account: str) -> ContactRecord:
    network, handle, _server, name = ACCOUNTS[account]
    return ContactRecord(network, handle, handle, name)


def _ids_for(account: str) -> str:
    return {"masto": "mastodon", "bsky": "bluesky", "mail": "email"}[account]


def _demo_url(thread: Thread, n: int) -> str | None:
    """Where the message would live on its network (stable: crc32, not hash())."""
    number = zlib.crc32(f"{thread.key}:{n}".encode()) % 10**9
    if thread.account == "masto":
        return f"https://social.example/@velopain/{number}"
    if thread.account == "bsky":
        return f"https://bsky.app/profile/velopain.bsky.social/post/demo{number}"
    return None


def build_demo(path: Path) -> None:
    """Build the demo into ``path`` (a new file) with seeded ids."""
    types.seeded_ids(SEED)
    try:
        with open_cache(path) as cache:
            _fill(cache)
            cache.checkpoint()
    finally:
        types.seeded_ids(None)


def _fill(cache: Cache) -> None:
    now = utcnow()
    account_ids: dict[str, str] = {}

    def accounts_and_team(tx: Tx) -> None:
        for key, (network, handle, server, name) in ACCOUNTS.items():
            account = Account(
                network=network,
                handle=handle,
                server=server,
                display_name=name,
                remote_id=handle,
                cursors={},
                config={"demo": True},
                created_at=now,
                initial_sync_done=True,
            )
            tx.session.add(account)
            tx.session.flush()
            account_ids[key] = account.id
        for name, role, is_me in TEAM:
            tx.session.add(TeamMember(name=name, role=role, is_me=is_me, created_at=now))
        for name, body in SAVED_REPLIES:
            tx.session.add(SavedReply(name=name, body=body, created_at=now))

    cache.writer.call(accounts_and_team)

    for thread in THREADS:
        records = []
        for n, (ago, direction, who, text) in enumerate(thread.messages):
            author = _us(thread.account) if who == "us" else _contact(who)
            records.append(
                MessageRecord(
                    remote_id=f"demo:{thread.key}:{n}",
                    thread_key=thread.key,
                    kind=thread.kind,
                    direction=Direction(direction),
                    author=author,
                    sent_at=now - timedelta(minutes=ago),
                    text=text,
                    html=thread.html.get(n),
                    subject=thread.subject,
                    url=_demo_url(thread, n),
                    visibility="direct" if thread.kind == Kind.DIRECT else None,
                )
            )
        ingest(cache.writer, account_ids[thread.account], FetchResult(messages=records))

    cache.writer.call(lambda tx: _workflow(tx, account_ids, now))


def _workflow(tx: Tx, account_ids: dict[str, str], now: Any) -> None:
    """Assignments, statuses, tags, notes and drafts, each with its Activity."""
    session = tx.session
    conn = session.connection()
    members = {m.name: m for m in session.query(TeamMember).all()}
    me = next(m for m in members.values() if m.is_me)
    tags: dict[str, Tag] = {}
    for thread in THREADS:
        conv = (
            session.query(Conversation)
            .filter_by(account_id=account_ids[thread.account], remote_key=thread.key)
            .one()
        )
        if thread.assignee:
            conv.assignee_id = members[thread.assignee].id
            record_activity(conn, me.id, conv.id, "assign", {"assignee": conv.assignee_id})
        if thread.status:
            conv.status = thread.status
            record_activity(conn, me.id, conv.id, "status", {"status": thread.status})
        if thread.snooze_hours is not None:
            conv.status = Status.SNOOZED
            conv.snoozed_until = now + timedelta(hours=thread.snooze_hours)
            record_activity(
                conn, me.id, conv.id, "snooze", {"until": types.to_ms(conv.snoozed_until)}
            )
        for name in thread.tags:
            if name not in tags:
                tags[name] = Tag(name=name)
                session.add(tags[name])
                session.flush()
            session.add(ConversationTag(conversation_id=conv.id, tag_id=tags[name].id))
            record_activity(conn, me.id, conv.id, "tag", {"tag": name, "present": True})
        if thread.priority:
            conv.priority = thread.priority
        for author, text in thread.notes:
            mentions = [m.id for m in members.values() if f"@{m.name.split()[0]}" in text]
            session.add(
                Note(
                    conversation_id=conv.id,
                    author_id=members[author].id,
                    text=text,
                    mentions=mentions,
                    created_at=now - timedelta(minutes=20),
                )
            )
        if thread.draft:
            session.add(
                Draft(
                    conversation_id=conv.id,
                    author_id=me.id,
                    body=thread.draft,
                    created_at=now,
                    updated_at=now,
                )
            )
    # The customer who wrote on two channels is one person.
    noor = [
        c for c in session.query(Contact).all() if c.name == "Noor Haddad" and c.person_id is None
    ]
    if len(noor) == 2:
        from console.models.schema import Person

        person = Person(name="Noor Haddad", created_at=now)
        session.add(person)
        session.flush()
        for contact in noor:
            contact.person_id = person.id


def demo_conversation_id(cache: Cache, key: str = "focus") -> str:
    """The id of a demo conversation by its thread key (the focus one has a
    draft by me: the screenshot opens it)."""
    with cache.read() as s:
        conv = s.query(Conversation).filter_by(remote_key=key).one()
        return conv.id


# --------------------------------------------------------------------------
# benchmark workspaces

_EN = (
    "order delivery bike repair wheel tyre brake chain bread croissant coffee booking app "
    "invoice refund price shipping weekend workshop class puncture cargo saddle light thanks "
    "please question broken late help opening hours gift card loyalty points winter commute"
).split()
_FR = (
    "commande livraison vélo réparation roue pneu frein chaîne pain croissant café réservation "
    "application facture remboursement prix expédition atelier cours crevaison cargo selle "
    "lumière merci question cassé retard aide horaires carte cadeau fidélité hiver trajet"
).split()


def _sentence(rng: random.Random, words: Sequence[str]) -> str:
    """Common words plus a few specific ones (order numbers, product and
    place names) drawn with a Zipf-like skew, as in real inbox text: a few
    terms are everywhere, most are rare."""
    n = rng.randint(12, 60)
    chosen = [rng.choice(words) for _ in range(n)]
    for _ in range(rng.randint(1, 3)):
        rank = int(rng.paretovariate(1.1)) % 50_000
        chosen.insert(rng.randrange(len(chosen) + 1), f"ref{rank}")
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def generate(path: Path, conversations: int, messages: int, *, seed: int = 7) -> dict[str, Any]:
    """Fill the cache at ``path`` with a large synthetic workspace through the
    real ingest rules (for benchmarks): a mix of networks and languages, most
    threads answered or old (closed), about a tenth waiting."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with open_cache(path) as cache:
        now = utcnow()
        account_ids = []

        def setup(tx: Tx) -> None:
            for network, handle in (
                ("mastodon", "bench@social.example"),
                ("bluesky", "bench.bsky.social"),
                ("email", "bench@shop.example"),
            ):
                account = Account(
                    network=network,
                    handle=handle,
                    server="bench",
                    remote_id=handle,
                    cursors={},
                    config={"demo": True},
                    created_at=now,
                )
                tx.session.add(account)
                tx.session.flush()
                account_ids.append(account.id)
            for name, role, is_me in TEAM:
                exists = tx.session.query(TeamMember).filter_by(name=name).first()
                if exists is None:
                    tx.session.add(TeamMember(name=name, role=role, is_me=is_me, created_at=now))

        cache.writer.call(setup)
        per = [messages // conversations] * conversations
        for i in range(messages - sum(per)):
            per[i % conversations] += 1
        batch: dict[str, list[MessageRecord]] = {a: [] for a in account_ids}
        inserted = 0
        for c in range(conversations):
            account = account_ids[c % 3]
            network = ("mastodon", "bluesky", "email")[c % 3]
            kind = (Kind.PUBLIC, Kind.DIRECT, Kind.EMAIL)[c % 3]
            words = _FR if c % 2 else _EN
            who = f"person{rng.randrange(conversations // 3 + 1)}"
            author = ContactRecord(
                network, f"{who}@{network}.example", f"{who}@{network}.example", who.capitalize()
            )
            us = ContactRecord(network, "us", "us", "Us")
            start = now - timedelta(minutes=rng.uniform(5, 60 * 24 * 60))
            waiting = rng.random() < 0.12
            for m in range(per[c]):
                last = m == per[c] - 1
                direction = Direction.IN if (m % 2 == 0 or (last and waiting)) else Direction.OUT
                batch[account].append(
                    MessageRecord(
                        remote_id=f"g{c}.{m}",
                        thread_key=f"g{c}",
                        kind=kind,
                        direction=direction,
                        author=author if direction == Direction.IN else us,
                        sent_at=start + timedelta(minutes=m * 7),
                        text=_sentence(rng, words),
                        subject=_sentence(rng, words)[:60] if kind == Kind.EMAIL else None,
                    )
                )
            if sum(len(b) for b in batch.values()) >= 50_000:
                for acc, records in batch.items():
                    if records:
                        inserted += ingest(
                            cache.writer, acc, FetchResult(messages=records)
                        ).inserted
                        records.clear()
        for acc, records in batch.items():
            if records:
                inserted += ingest(cache.writer, acc, FetchResult(messages=records)).inserted
        ingest_seconds = time.perf_counter() - started

        def spread_workflow(tx: Tx) -> None:
            conn = tx.session.connection()
            members = [r[0] for r in conn.exec_driver_sql("SELECT id FROM team_members")]
            conn.exec_driver_sql(
                "UPDATE conversations SET assignee_id = ? WHERE abs(sort_wait) % 4 = 0",
                (members[0],),
            )
            conn.exec_driver_sql(
                "UPDATE conversations SET assignee_id = ? WHERE abs(sort_wait) % 4 = 1",
                (members[1],),
            )
            conn.exec_driver_sql(
                "UPDATE conversations SET status = 'pending' WHERE status = 'open' "
                "AND abs(sort_wait) % 10 = 3"
            )
            conn.exec_driver_sql(
                "UPDATE conversations SET status = 'snoozed', snoozed_until = ? "
                "WHERE status = 'open' AND abs(sort_wait) % 10 = 5",
                (types.to_ms(now + timedelta(days=1)),),
            )

        cache.writer.call(spread_workflow)
    return {
        "conversations": conversations,
        "messages": inserted,
        "seconds": round(time.perf_counter() - started, 2),
        "ingest_seconds": round(ingest_seconds, 2),
    }
