"""Who the demo workspace is: its seed, its three accounts, the people who
write to it, the team of four and the saved replies. Data only, so the
story can change without touching how the workspace is built."""

from __future__ import annotations

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
