"""The demo's conversations, as data: one Thread per conversation, with
its messages (minutes ago, direction, who, text) and the workflow state it
starts in. The builder (build.py) sends the messages through ingest and
then applies the state, so the ingest rules decide the rest."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.sync.base import Kind

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
