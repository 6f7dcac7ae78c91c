<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AccountsTab</name>
    <message>
        <source>Connected accounts and their state</source>
        <translation>Comptes connectés et leur état</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="258"/>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="258"/>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="258"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="261"/>
        <source>Add Mastodon account…</source>
        <translation>Ajouter un compte Mastodon…</translation>
    </message>
    <message>
        <source>Arrives in a later version</source>
        <translation type="vanished">Disponible dans une prochaine version</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="263"/>
        <source>Add Bluesky account…</source>
        <translation>Ajouter un compte Bluesky…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="264"/>
        <source>Add e-mail account…</source>
        <translation>Ajouter un compte e-mail…</translation>
    </message>
    <message>
        <source>Add {0} account…</source>
        <translation>Ajouter un compte {0}…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="267"/>
        <source>Sign in again…</source>
        <translation>Se reconnecter…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="269"/>
        <source>For an account whose server refused its sign-in</source>
        <translation>Pour un compte dont le serveur a refusé la connexion</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="270"/>
        <source>Remove…</source>
        <translation>Retirer…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="299"/>
        <source>Signed in</source>
        <translation>Connecté</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="299"/>
        <source>Needs signing in again</source>
        <translation>À reconnecter</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="302"/>
        <source>Error: {0}</source>
        <translation>Erreur&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="332"/>
        <location filename="../../console/views/settings_dialog.py" line="343"/>
        <location filename="../../console/views/settings_dialog.py" line="367"/>
        <source>Added {0}.</source>
        <translation>{0} ajouté.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="382"/>
        <source>{0} is signed in again.</source>
        <translation>{0} est de nouveau connecté.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="399"/>
        <source>Remove account</source>
        <translation>Retirer le compte</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="401"/>
        <source>Remove {0}? Its conversations, drafts and notes are deleted from this computer; nothing is deleted on the server.</source>
        <translation>Retirer {0}&#xa0;? Ses conversations, brouillons et notes seront supprimés de cet ordinateur&#xa0;; rien n&apos;est supprimé sur le serveur.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="411"/>
        <source>Removed {0}.</source>
        <translation>{0} retiré.</translation>
    </message>
</context>
<context>
    <name>ActionMenus</name>
    <message>
        <location filename="../../console/views/actions.py" line="33"/>
        <source>Urgent</source>
        <translation>Urgente</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="34"/>
        <source>High</source>
        <translation>Haute</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="35"/>
        <source>Normal</source>
        <translation>Normale</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="36"/>
        <source>Low</source>
        <translation>Basse</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="61"/>
        <source>Later today</source>
        <translation>Plus tard aujourd&apos;hui</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="62"/>
        <source>Tomorrow 9:00</source>
        <translation>Demain 9:00</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="63"/>
        <source>Next week</source>
        <translation>La semaine prochaine</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="92"/>
        <source>Assign</source>
        <translation>Attribuer</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="93"/>
        <source>Me (take)</source>
        <translation>Moi (prendre)</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="100"/>
        <source>Nobody</source>
        <translation>Personne</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="104"/>
        <source>Snooze</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="110"/>
        <source>Pick a time…</source>
        <translation>Choisir une heure…</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="115"/>
        <source>Snooze until</source>
        <translation>Reporter jusqu&apos;à</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="133"/>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="142"/>
        <source>New tag…</source>
        <translation>Nouvelle étiquette…</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="147"/>
        <source>New tag</source>
        <translation>Nouvelle étiquette</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="147"/>
        <source>Tag name:</source>
        <translation>Nom de l&apos;étiquette&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="153"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="161"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="162"/>
        <source>Open</source>
        <translation>Ouverte</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="163"/>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../console/views/actions.py" line="164"/>
        <source>Closed</source>
        <translation>Fermée</translation>
    </message>
</context>
<context>
    <name>BlueskySignIn</name>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="44"/>
        <source>Add Bluesky account</source>
        <translation>Ajouter un compte Bluesky</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="46"/>
        <source>yourname.bsky.social</source>
        <translation>votrenom.bsky.social</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="49"/>
        <source>xxxx-xxxx-xxxx-xxxx</source>
        <translation>xxxx-xxxx-xxxx-xxxx</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="51"/>
        <source>Found from the handle; or https://your.pds</source>
        <translation>Trouvé d&apos;après l&apos;identifiant, ou https://votre.pds</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="54"/>
        <source>Use an app password (Settings → Privacy and security → App passwords). Allow access to direct messages to answer DMs here.</source>
        <translation>Utilisez un mot de passe d&apos;application (Paramètres → Confidentialité et sécurité → Mots de passe d&apos;application). Autorisez l&apos;accès aux messages privés pour y répondre ici.</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="64"/>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="68"/>
        <source>Handle:</source>
        <translation>Identifiant :</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="69"/>
        <source>App password:</source>
        <translation>Mot de passe d&apos;application :</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="70"/>
        <source>Server (optional):</source>
        <translation>Serveur (facultatif) :</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="83"/>
        <source>Type the handle and an app password.</source>
        <translation>Saisissez l&apos;identifiant et un mot de passe d&apos;application.</translation>
    </message>
    <message>
        <location filename="../../console/views/bluesky_signin.py" line="86"/>
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings/bluesky_signin.py"/>
        <source>Sign in again</source>
        <translation>Se reconnecter</translation>
    </message>
</context>
<context>
    <name>ContactCard</name>
    <message>
        <location filename="../../console/views/contact_card.py" line="158"/>
        <source>Also</source>
        <translation>Également</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="165"/>
        <source>Link contact…</source>
        <translation>Associer un contact…</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="166"/>
        <source>This person also writes from another contact.</source>
        <translation>Cette personne écrit aussi depuis un autre contact.</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="168"/>
        <source>Unlink</source>
        <translation>Dissocier</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="169"/>
        <source>The selected contact is someone else.</source>
        <translation>Le contact sélectionné est une autre personne.</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="185"/>
        <source>No contact for this conversation.</source>
        <translation>Aucun contact pour cette conversation.</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="318"/>
        <source>Conversations ({0})</source>
        <translation>Conversations ({0})</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <source>This conversation cannot be shown</source>
        <translation>Cette conversation ne peut pas être affichée</translation>
    </message>
    <message>
        <source>Preparing the whole message…</source>
        <translation>Préparation du message entier…</translation>
    </message>
    <message>
        <source>A note holds at most {0} characters; the rest was not added.</source>
        <translation>Une note contient au plus {0} caractères&#xa0;; le reste n’a pas été ajouté.</translation>
    </message>
    <message>
        <source>{0} older notes not shown.</source>
        <translation>{0} notes plus anciennes non affichées.</translation>
    </message>
    <message>
        <source>show the whole message</source>
        <translation>afficher le message entier</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="149"/>
        <source>view original</source>
        <translation>voir l&apos;original</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="150"/>
        <source>This message was deleted.</source>
        <translation>Ce message a été supprimé.</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="151"/>
        <source>{0} quoted lines folded</source>
        <translation>{0}&#xa0;lignes citées masquées</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="217"/>
        <source>Take</source>
        <extracomment>A public reply addressed to more people than this asks first.</extracomment>
        <translation>Prendre</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="218"/>
        <source>Assign to me (t)</source>
        <translation>M&apos;attribuer (t)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="221"/>
        <source>Assign</source>
        <translation>Attribuer</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="223"/>
        <source>Assign to a team member (a)</source>
        <translation>Attribuer à un membre de l&apos;équipe (a)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="224"/>
        <source>Snooze</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="225"/>
        <source>Hide until a time (s)</source>
        <translation>Masquer jusqu&apos;à une heure donnée (s)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="227"/>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="229"/>
        <source>Tag (#)</source>
        <translation>Étiqueter (#)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="231"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="234"/>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="235"/>
        <source>Waiting on the other side</source>
        <translation>En attente de l&apos;autre partie</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="237"/>
        <location filename="../../console/views/conversation.py" line="424"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="238"/>
        <source>Done (e)</source>
        <translation>Terminée (e)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="267"/>
        <source>Write a reply… (Ctrl+Enter sends)</source>
        <translation>Écrivez une réponse… (Ctrl+Entrée pour envoyer)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="269"/>
        <source>Saved replies</source>
        <translation>Réponses types</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="270"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="272"/>
        <source>Queue in the outbox (Ctrl+Enter); works offline</source>
        <translation>Placer dans la boîte d&apos;envoi (Ctrl+Entrée)&#xa0;; fonctionne hors ligne</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="305"/>
        <source>&lt;b&gt;Internal notes&lt;/b&gt;</source>
        <translation>&lt;b&gt;Notes internes&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="315"/>
        <source>Add a note for the team (@name mentions)</source>
        <translation>Ajouter une note pour l&apos;équipe (@nom pour mentionner)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="366"/>
        <source>No conversation</source>
        <translation>Aucune conversation</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="369"/>
        <source>Pick a conversation in the queue.</source>
        <translation>Choisissez une conversation dans la file.</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="424"/>
        <source>Reopen</source>
        <translation>Rouvrir</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="433"/>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="437"/>
        <source>assigned to {0}</source>
        <translation>attribuée à {0}</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="442"/>
        <source>priority: {0}</source>
        <translation>priorité&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="460"/>
        <source>No notes yet.</source>
        <translation>Aucune note pour l&apos;instant.</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="490"/>
        <source>{0} characters</source>
        <translation>{0} caractères</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="524"/>
        <source>{0} is handling this conversation. Reply anyway?</source>
        <translation>{0} s&apos;occupe de cette conversation. Répondre quand même&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="528"/>
        <source>Send to {0} people?</source>
        <translation>Envoyer à {0} personnes&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="539"/>
        <source>Send this reply?</source>
        <translation>Envoyer cette réponse&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="583"/>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="589"/>
        <source>No saved replies yet (Settings)</source>
        <translation>Aucune réponse enregistrée pour l&apos;instant (Paramètres)</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="608"/>
        <source>Fetching the attachment…</source>
        <translation>Téléchargement de la pièce jointe…</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="614"/>
        <source>Save attachment</source>
        <translation>Enregistrer la pièce jointe</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="617"/>
        <source>Saved {0}.</source>
        <translation>«&#xa0;{0}&#xa0;» enregistré.</translation>
    </message>
    <message>
        <location filename="../../console/views/conversation.py" line="639"/>
        <source>closed</source>
        <translation>fermée</translation>
    </message>
    <message>
        <source>{0} {1}</source>
        <translation>{0}&#xa0;: {1}</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>désattribuée</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>rouverte</translation>
    </message>
    <message>
        <source>marked pending</source>
        <translation>mise en attente</translation>
    </message>
    <message>
        <source>status {0}</source>
        <translation>statut {0}</translation>
    </message>
    <message>
        <source>snoozed until {0}</source>
        <translation>mise en veille jusqu’au {0}</translation>
    </message>
    <message>
        <source>tagged #{0}</source>
        <translation>étiquette #{0} ajoutée</translation>
    </message>
    <message>
        <source>removed tag #{0}</source>
        <translation>étiquette #{0} retirée</translation>
    </message>
    <message>
        <source>priority {0}</source>
        <translation>priorité {0}</translation>
    </message>
    <message>
        <source>undid: {0}</source>
        <translation>annulation de «&#xa0;{0}&#xa0;»</translation>
    </message>
    <message>
        <source>undid a change</source>
        <translation>annulation d’une modification</translation>
    </message>
    <message>
        <source>added a note</source>
        <translation>note ajoutée</translation>
    </message>
    <message>
        <source>reply queued</source>
        <translation>réponse mise en file</translation>
    </message>
    <message>
        <source>reply sent</source>
        <translation>réponse envoyée</translation>
    </message>
    <message>
        <source>merged another conversation into this one</source>
        <translation>une autre conversation fusionnée avec celle-ci</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>a new message came in</source>
        <translation>un nouveau message est arrivé</translation>
    </message>
    <message>
        <source>Not saved — retrying. Your text is kept here.</source>
        <translation>Non enregistré — nouvel essai. Votre texte reste ici.</translation>
    </message>
    <message>
        <source>Reaches: {0}</source>
        <translation>Destinataires&#xa0;: {0}</translation>
    </message>
    <message>
        <source>Someone answered this conversation from your account since you opened it. Send your reply anyway?</source>
        <translation>Quelqu’un a répondu à cette conversation depuis votre compte depuis que vous l’avez ouverte. Envoyer quand même votre réponse&#xa0;?</translation>
    </message>
    <message>
        <source>The reply was not queued ({0}); your text is back.</source>
        <translation>La réponse n’a pas été mise dans la boîte d’envoi ({0})&#xa0;; votre texte est revenu.</translation>
    </message>
    <message>
        <source>This reply would go to {0}, not (only) to the person who wrote. Send it anyway?</source>
        <translation>Cette réponse irait à {0}, pas (seulement) à la personne qui a écrit. L’envoyer quand même&#xa0;?</translation>
    </message>
    <message>
        <source>This reply would reach {0} people ({1}). Send it anyway?</source>
        <translation>Cette réponse atteindrait {0} personnes ({1}). L’envoyer quand même&#xa0;?</translation>
    </message>
    <message>
        <source>Your draft could not be saved; Parloir keeps the text and retries.</source>
        <translation>Votre brouillon n’a pas pu être enregistré&#xa0;; Parloir garde le texte et réessaie.</translation>
    </message>
    <message>
        <source>the cache refused it</source>
        <translation>le cache l’a refusée</translation>
    </message>
    <message>
        <source>{0} drafts not saved — retrying.</source>
        <translation>{0} brouillons non enregistrés — nouvel essai.</translation>
    </message>
</context>
<context>
    <name>EmailSignIn</name>
    <message>
        <location filename="../../console/views/email_signin.py" line="50"/>
        <source>Add e-mail account</source>
        <extracomment>Usual ports per security mode (IMAP, SMTP).</extracomment>
        <translation>Ajouter un compte e-mail</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="52"/>
        <source>contact@example.org</source>
        <translation>contact@example.org</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="54"/>
        <source>Usually the address</source>
        <translation>En général, l&apos;adresse</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="58"/>
        <source>imap.example.org:993</source>
        <translation>imap.example.org:993</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="60"/>
        <source>smtp.example.org:465</source>
        <translation>smtp.example.org:465</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="62"/>
        <source>TLS (recommended)</source>
        <translation>TLS (recommandé)</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="63"/>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="64"/>
        <source>None — the password travels unencrypted</source>
        <translation>Aucune — le mot de passe circule en clair</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="72"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="76"/>
        <source>Address:</source>
        <translation>Adresse&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="77"/>
        <source>User name:</source>
        <translation>Nom d&apos;utilisateur&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="78"/>
        <source>Password:</source>
        <translation>Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="79"/>
        <source>IMAP server:</source>
        <translation>Serveur IMAP&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="80"/>
        <source>SMTP server:</source>
        <translation>Serveur SMTP&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="81"/>
        <source>Security:</source>
        <translation>Sécurité&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="105"/>
        <source>Fill in the address, password and both servers.</source>
        <translation>Indiquez l&apos;adresse, le mot de passe et les deux serveurs.</translation>
    </message>
    <message>
        <location filename="../../console/views/email_signin.py" line="109"/>
        <source>Checking the login on both servers…</source>
        <translation>Vérification de la connexion aux deux serveurs…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings/email_signin.py"/>
        <source>Sign in again</source>
        <translation>Se reconnecter</translation>
    </message>
    <message>
        <location filename="../../console/views/settings/email_signin.py"/>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
</context>
<context>
    <name>Kinds</name>
    <message>
        <source>Comment: public on the page it was left on.</source>
        <translation>Commentaire&#xa0;: public sur la page où il a été laissé.</translation>
    </message>
    <message>
        <source>E-mail: your reply goes by mail to the recipients it names.</source>
        <translation>E-mail&#xa0;: votre réponse part par courrier aux destinataires qu’il nomme.</translation>
    </message>
    <message>
        <source>Private message (DM): only the people in it read your reply; an @name you add joins them.</source>
        <translation>Message privé (DM)&#xa0;: seules les personnes qui y participent lisent votre réponse&#xa0;; un @nom ajouté les rejoint.</translation>
    </message>
    <message>
        <source>Public thread: everyone can read it, and your reply is public too.</source>
        <translation>Fil public&#xa0;: tout le monde peut le lire, et votre réponse est publique aussi.</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Commentaire</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Private message</source>
        <translation>Message privé</translation>
    </message>
    <message>
        <source>Public</source>
        <translation>Public</translation>
    </message>
</context>
<context>
    <name>LanguageTab</name>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="748"/>
        <source>System default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="751"/>
        <source>Takes effect at the next start.</source>
        <translation>Prend effet au prochain démarrage.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="754"/>
        <source>Language:</source>
        <translation>Langue&#xa0;:</translation>
    </message>
</context>
<context>
    <name>LinkContactDialog</name>
    <message>
        <location filename="../../console/views/contact_card.py" line="61"/>
        <source>Link contact</source>
        <translation>Associer un contact</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="63"/>
        <source>Name, handle or e-mail address</source>
        <translation>Nom, identifiant ou adresse e-mail</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="67"/>
        <source>The linked contacts are shown as one person.</source>
        <translation>Les contacts associés sont affichés comme une seule personne.</translation>
    </message>
    <message>
        <location filename="../../console/views/contact_card.py" line="73"/>
        <source>Link</source>
        <translation>Associer</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>commands and saved replies</source>
        <translation>commandes et réponses enregistrées</translation>
    </message>
    <message>
        <source>You are {0}; change it in Settings, Team.</source>
        <translation>Vous êtes {0} ; modifiable dans Paramètres, Équipe.</translation>
    </message>
    <message>
        <source>Nobody is you yet: choose yourself in Settings, Team.</source>
        <translation>Personne n’est vous pour l’instant : choisissez-vous dans Paramètres, Équipe.</translation>
    </message>
    <message>
        <source>mark unread</source>
        <translation>marquer comme non lue</translation>
    </message>
    <message>
        <source>priority…</source>
        <translation>priorité…</translation>
    </message>
    <message>
        <source>{0} new</source>
        <translation>{0} nouv.</translation>
    </message>
    <message>
        <source>{0} conversations, {1} unread</source>
        <translation>{0} conversations, {1} non lues</translation>
    </message>
    <message>
        <source>{0} mine, {1} unassigned</source>
        <translation>{0} à moi, {1} non attribuées</translation>
    </message>
    <message>
        <source>demo</source>
        <translation>démo</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_list.py"/>
        <source>This view</source>
        <translation>Cette vue</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_list.py"/>
        <source>All</source>
        <translation>Tout</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_list.py"/>
        <source>Search this view or all conversations</source>
        <translation>Chercher dans cette vue ou dans toutes les conversations</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_list.py"/>
        <source>Search all conversations</source>
        <translation>Chercher dans toutes les conversations</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_list.py"/>
        <source>Nothing waiting here.</source>
        <translation>Rien en attente ici.</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_list.py"/>
        <source>No conversations match “{0}” in {1}.</source>
        <translation>Aucune conversation ne correspond à « {0} » dans « {1} ».</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_list.py"/>
        <source>No conversation matches “{0}”.</source>
        <translation>Aucune conversation ne correspond à « {0} ».</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="59"/>
        <source>Mine</source>
        <translation>Les miennes</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="60"/>
        <source>Unassigned</source>
        <translation>Non attribuées</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="61"/>
        <source>All open</source>
        <translation>Ouvertes</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="62"/>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="63"/>
        <source>Snoozed</source>
        <translation>Reportées</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="64"/>
        <source>Closed</source>
        <translation>Fermées</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="68"/>
        <source>Longest waiting</source>
        <translation>Attente la plus longue</translation>
    </message>
    <message>
        <source>Most urgent</source>
        <translation>Plus urgent</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="69"/>
        <source>Last activity</source>
        <translation>Dernière activité</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="70"/>
        <location filename="../../console/views/main_window.py" line="274"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="74"/>
        <source>next / previous conversation</source>
        <translation>conversation suivante / précédente</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="75"/>
        <source>open the conversation (focus the reply)</source>
        <translation>ouvrir la conversation (aller à la réponse)</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="76"/>
        <source>reply (focus the composer)</source>
        <translation>répondre (aller à la zone de saisie)</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="77"/>
        <source>assign…</source>
        <translation>attribuer…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="78"/>
        <source>take (assign to me)</source>
        <translation>prendre (m&apos;attribuer)</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="79"/>
        <source>close</source>
        <translation>fermer</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="80"/>
        <source>snooze…</source>
        <translation>reporter…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="81"/>
        <source>tag…</source>
        <translation>étiqueter…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="82"/>
        <source>search</source>
        <translation>rechercher</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="83"/>
        <source>back to the queue</source>
        <translation>retour à la file</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="84"/>
        <source>send</source>
        <translation>envoyer</translation>
    </message>
    <message>
        <source>undo the last action (outside text fields)</source>
        <translation>annuler la dernière action (hors des champs de saisie)</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="85"/>
        <source>sync now</source>
        <translation>synchroniser maintenant</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="86"/>
        <source>settings</source>
        <translation>paramètres</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="87"/>
        <source>this list</source>
        <translation>cette liste</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="202"/>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="203"/>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="204"/>
        <source>Team</source>
        <translation>Équipe</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="218"/>
        <source>Search messages, names, subjects, notes  ( / )</source>
        <translation>Rechercher dans les messages, noms, objets, notes  ( / )</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="228"/>
        <source>Sort the queue</source>
        <translation>Trier la file</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="271"/>
        <source>Assign</source>
        <translation>Attribuer</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="272"/>
        <source>Snooze</source>
        <translation>Reporter</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="273"/>
        <source>Tag</source>
        <translation>Étiqueter</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="277"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="296"/>
        <source>&lt;h1&gt;Welcome to Parloir&lt;/h1&gt;</source>
        <translation>&lt;h1&gt;Bienvenue dans Parloir&lt;/h1&gt;</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="300"/>
        <source>One calm queue for every mention, reply, direct message and e-mail your team has to answer. Add the accounts you answer for, or look around in a demo workspace first.</source>
        <translation>Une file unique et calme pour toutes les mentions, réponses, messages privés et e-mails auxquels votre équipe doit répondre. Ajoutez les comptes au nom desquels vous répondez, ou faites d&apos;abord le tour d&apos;un espace de démonstration.</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="308"/>
        <source>Add an account…</source>
        <translation>Ajouter un compte…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="311"/>
        <source>Open the demo workspace</source>
        <translation>Ouvrir l&apos;espace de démonstration</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="351"/>
        <source>&amp;Parloir</source>
        <translation>&amp;Parloir</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="352"/>
        <source>Sync now</source>
        <translation>Synchroniser maintenant</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="356"/>
        <source>Outbox…</source>
        <translation>Boîte d&apos;envoi…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="359"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="365"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="369"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="370"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="471"/>
        <source> — sign in again</source>
        <translation> — à reconnecter</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="478"/>
        <source>Synced</source>
        <translation>Synchronisé</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="489"/>
        <source>{0} open</source>
        <translation>{0} ouvertes</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="547"/>
        <location filename="../../console/views/main_window.py" line="672"/>
        <source>Up to date</source>
        <translation>À jour</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="561"/>
        <source>{0} selected</source>
        <translation>{0} sélectionnées</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="580"/>
        <source>Reply queued in the outbox; it goes out when the network allows.</source>
        <translation>Réponse placée dans la boîte d&apos;envoi&#xa0;; elle partira dès que le réseau le permettra.</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="663"/>
        <source>Syncing…</source>
        <translation>Synchronisation…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="674"/>
        <source>Syncing {0}…</source>
        <translation>Synchronisation de {0}…</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="676"/>
        <source>{0}: offline, will retry</source>
        <translation>{0}&#xa0;: hors ligne, nouvel essai plus tard</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="677"/>
        <source>{0}: the server asked us to wait</source>
        <translation>{0}&#xa0;: le serveur demande de patienter</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="678"/>
        <source>{0}: sign in again (Settings)</source>
        <translation>{0}&#xa0;: à reconnecter (Paramètres)</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="690"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="690"/>
        <source>Use `parloir account add` for now.</source>
        <translation>Utilisez `parloir account add` pour l&apos;instant.</translation>
    </message>
    <message>
        <location filename="../../console/views/main_window.py" line="760"/>
        <source>Keyboard</source>
        <translation>Clavier</translation>
    </message>
    <message>
        <source>Drafts not saved</source>
        <translation>Brouillons non enregistrés</translation>
    </message>
    <message>
        <source>Now showing {0}.</source>
        <translation>Affichage de {0}.</translation>
    </message>
    <message>
        <source>Some drafts could not be saved yet and would be lost; quit anyway?</source>
        <translation>Certains brouillons n’ont pas encore pu être enregistrés et seraient perdus&#xa0;; quitter quand même&#xa0;?</translation>
    </message>
</context>
<context>
    <name>MastodonSignIn</name>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="173"/>
        <source>Sign in again</source>
        <translation>Se reconnecter</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="173"/>
        <source>Add Mastodon account</source>
        <translation>Ajouter un compte Mastodon</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="175"/>
        <source>mastodon.social</source>
        <translation>mastodon.social</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="177"/>
        <source>Sign in with the browser</source>
        <translation>Se connecter dans le navigateur</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="178"/>
        <source>Use an access token</source>
        <translation>Utiliser un jeton d&apos;accès</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="185"/>
        <source>Access token</source>
        <translation>Jeton d&apos;accès</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="193"/>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="198"/>
        <source>Server:</source>
        <translation>Serveur&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="212"/>
        <source>Type the address of your Mastodon server.</source>
        <translation>Saisissez l&apos;adresse de votre serveur Mastodon.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="215"/>
        <source>Paste the access token, or sign in with the browser.</source>
        <translation>Collez le jeton d&apos;accès, ou connectez-vous dans le navigateur.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="219"/>
        <source>Signing in… finish in the browser window.</source>
        <translation>Connexion… terminez dans la fenêtre du navigateur.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="221"/>
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings/mastodon_signin.py" line="1"/>
        <source>Sign-in address</source>
        <translation>Adresse de connexion</translation>
    </message>
    <message>
        <location filename="../../console/views/settings/mastodon_signin.py" line="1"/>
        <source>Copy address</source>
        <translation>Copier l&apos;adresse</translation>
    </message>
    <message>
        <location filename="../../console/views/settings/mastodon_signin.py" line="1"/>
        <source>Copied</source>
        <translation>Copiée</translation>
    </message>
    <message>
        <location filename="../../console/views/settings/mastodon_signin.py" line="1"/>
        <source>No browser could be opened. Copy this address into a browser on this computer and sign in there; Parloir is waiting for it.</source>
        <translation>Aucun navigateur n&apos;a pu être ouvert. Copiez cette adresse dans un navigateur de cet ordinateur et connectez-vous-y&#xa0;; Parloir attend la réponse.</translation>
    </message>
</context>
<context>
    <name>OutboxDialog</name>
    <message>
        <source>Replies waiting to go out, and those that failed</source>
        <translation>Réponses en attente d’envoi, et celles qui ont échoué</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="92"/>
        <source>Outbox</source>
        <extracomment>Which buttons apply to an item in each state.</extracomment>
        <translation>Boîte d&apos;envoi</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="100"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="100"/>
        <source>To</source>
        <translation>Destinataire</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="100"/>
        <source>Reply</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="100"/>
        <source>Tries</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="100"/>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="114"/>
        <source>Nothing waits in the outbox.</source>
        <translation>Rien n&apos;attend dans la boîte d&apos;envoi.</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="118"/>
        <source>Hide sent</source>
        <translation>Masquer les réponses envoyées</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="121"/>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="122"/>
        <source>Send this reply again, with the same key.</source>
        <translation>Renvoyer cette réponse, avec la même clé.</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="124"/>
        <source>Edit</source>
        <translation>Modifier</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="126"/>
        <source>Take the reply out of the outbox and back into your draft.</source>
        <translation>Retirer la réponse de la boîte d&apos;envoi et la remettre dans votre brouillon.</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="129"/>
        <location filename="../../console/views/outbox_dialog.py" line="326"/>
        <source>Cancel reply</source>
        <translation>Annuler la réponse</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="130"/>
        <source>Do not send this reply.</source>
        <translation>Ne pas envoyer cette réponse.</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="200"/>
        <source>Waiting to send</source>
        <translation>En attente d&apos;envoi</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="201"/>
        <source>Sending</source>
        <translation>Envoi en cours</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="202"/>
        <source>Sent</source>
        <translation>Envoyée</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="203"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="204"/>
        <source>Not sure it went out</source>
        <translation>Envoi incertain</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="201"/>
        <source>Held: to confirm</source>
        <translation>Retenue : à confirmer</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="212"/>
        <source>(unknown contact)</source>
        <translation>(contact inconnu)</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="216"/>
        <source>{0} · from {1}</source>
        <translation>{0} · depuis {1}</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="229"/>
        <source>Queued {0}</source>
        <translation>Placée dans la boîte d&apos;envoi&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="269"/>
        <source>Subject: {0}</source>
        <translation>Objet&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="305"/>
        <source>Send again?</source>
        <translation>Renvoyer&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="306"/>
        <source>This e-mail may already have been sent. Send it again?</source>
        <translation>Cet e-mail a peut-être déjà été envoyé. Le renvoyer&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="322"/>
        <source>Cancel this reply? It will not be sent; its text goes back to your draft.</source>
        <translation>Annuler cette réponse&#xa0;? Elle ne sera pas envoyée&#xa0;; son texte retourne dans votre brouillon.</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="325"/>
        <source>This reply may already have been sent. Cancel it anyway?</source>
        <translation>Cette réponse a peut-être déjà été envoyée. L&apos;annuler quand même&#xa0;?</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="339"/>
        <source>Edit reply</source>
        <translation>Modifier la réponse</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="340"/>
        <source>This reply may already have been sent. Take it back into your draft anyway?</source>
        <translation>Cette réponse a peut-être déjà été envoyée. La remettre quand même dans votre brouillon&#xa0;?</translation>
    </message>
</context>
<context>
    <name>OutboxStatus</name>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="373"/>
        <location filename="../../console/views/outbox_dialog.py" line="423"/>
        <source>Show the outbox</source>
        <translation>Afficher la boîte d&apos;envoi</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="374"/>
        <location filename="../../console/views/outbox_dialog.py" line="413"/>
        <source>Outbox empty</source>
        <translation>Boîte d&apos;envoi vide</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="405"/>
        <source>{0} failed</source>
        <translation>{0} en échec</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="407"/>
        <source>{0} to check</source>
        <translation>{0} à vérifier</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="409"/>
        <source>{0} waiting</source>
        <translation>{0} en attente</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="411"/>
        <source>Outbox: {0}</source>
        <translation>Boîte d&apos;envoi&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../console/views/outbox_dialog.py" line="421"/>
        <source>Some replies did not go out: click to see them.</source>
        <translation>Certaines réponses ne sont pas parties&#xa0;: cliquez pour les voir.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Damaged: {0}</source>
        <translation>Endommagée&#xa0;: {0}</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>endommagée</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="35"/>
        <source>open</source>
        <translation>ouverte</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="36"/>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="37"/>
        <source>snoozed</source>
        <translation>reportée</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="38"/>
        <source>closed</source>
        <translation>fermée</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="49"/>
        <source>now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="51"/>
        <source>{0} min</source>
        <translation>{0}&#xa0;min</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="53"/>
        <source>{0} h</source>
        <translation>{0}&#xa0;h</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="54"/>
        <source>{0} d</source>
        <translation>{0}&#xa0;j</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="251"/>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="252"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="253"/>
        <source>Waiting</source>
        <translation>Attente</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="254"/>
        <source>Who</source>
        <translation>Qui</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="255"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../../console/views/queue_model.py" line="284"/>
        <source>Unassigned</source>
        <translation>Non attribuée</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>urgente</translation>
    </message>
    <message>
        <source>high</source>
        <translation>haute</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normale</translation>
    </message>
    <message>
        <source>low</source>
        <translation>basse</translation>
    </message>
    <message>
        <source>Overdue by {0}</source>
        <translation>En retard de {0}</translation>
    </message>
    <message>
        <source>Due in {0}</source>
        <translation>Échéance dans {0}</translation>
    </message>
    <message>
        <source>Waiting since {0}</source>
        <translation>En attente depuis {0}</translation>
    </message>
    <message>
        <source>Not waiting</source>
        <translation>Pas en attente</translation>
    </message>
    <message>
        <source>Priority: {0}</source>
        <translation>Priorité : {0}</translation>
    </message>
    <message>
        <source>Status: {0}</source>
        <translation>Statut : {0}</translation>
    </message>
    <message>
        <source>No tags</source>
        <translation>Aucune étiquette</translation>
    </message>
    <message>
        <source>Tags: {0}</source>
        <translation>Étiquettes : {0}</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <source>No longer in this view; it goes when you move on.</source>
        <translation>N’est plus dans cette vue&#xa0;; elle disparaît quand vous passez à la suivante.</translation>
    </message>
</context>
<context>
    <name>RepliesTab</name>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="574"/>
        <source>Fields you can use: {0}</source>
        <translation>Champs disponibles&#xa0;: {0}</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="577"/>
        <source>New</source>
        <translation>Nouvelle</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="579"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="581"/>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="584"/>
        <source>Name:</source>
        <translation>Nom&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="585"/>
        <source>Text:</source>
        <translation>Texte&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="654"/>
        <source>Saved {0}.</source>
        <translation>«&#xa0;{0}&#xa0;» enregistrée.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="665"/>
        <source>Delete saved reply</source>
        <translation>Supprimer la réponse enregistrée</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="665"/>
        <source>Delete {0}?</source>
        <translation>Supprimer «&#xa0;{0}&#xa0;»&#xa0;?</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="784"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="792"/>
        <source>Accounts</source>
        <translation>Comptes</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="793"/>
        <source>Team</source>
        <translation>Équipe</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="794"/>
        <source>Saved replies</source>
        <translation>Réponses enregistrées</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="795"/>
        <source>Workflow</source>
        <translation>Flux de travail</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="796"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="865"/>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Apparence</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../console/views/settings/signin.py" line="65"/>
        <source>Something went wrong: {0}</source>
        <translation>Un problème est survenu&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>SignInFailure</name>
    <message>
        <location filename="../../console/sync/signin_errors.py" line="1"/>
        <source>Parloir could not reach {host}: check the address and your connection.</source>
        <translation>Parloir n&apos;a pas pu joindre {host}&#xa0;: vérifiez l&apos;adresse et votre connexion.</translation>
    </message>
    <message>
        <location filename="../../console/sync/signin_errors.py" line="1"/>
        <source>The secure connection to {host} failed: its certificate could not be verified, or that port does not use TLS. Check the address, the port and the security setting.</source>
        <translation>La connexion sécurisée à {host} a échoué&#xa0;: son certificat n&apos;a pas pu être vérifié, ou ce port n&apos;utilise pas TLS. Vérifiez l&apos;adresse, le port et le réglage de sécurité.</translation>
    </message>
    <message>
        <location filename="../../console/sync/signin_errors.py" line="1"/>
        <source>{host} refused the user name, password or token: check them and try again.</source>
        <translation>{host} a refusé le nom d&apos;utilisateur, le mot de passe ou le jeton&#xa0;: vérifiez-les et réessayez.</translation>
    </message>
    <message>
        <location filename="../../console/sync/signin_errors.py" line="1"/>
        <source>{host} answered, but it is not a {server} server: check the address.</source>
        <translation>{host} a répondu, mais ce n&apos;est pas un serveur {server}&#xa0;: vérifiez l&apos;adresse.</translation>
    </message>
    <message>
        <location filename="../../console/sync/signin_errors.py" line="1"/>
        <source>No keyring is available to keep the password: start or unlock one (such as gnome-keyring or KWallet), then try again. Nothing was saved.</source>
        <translation>Aucun trousseau n&apos;est disponible pour garder le mot de passe&#xa0;: démarrez ou déverrouillez un trousseau (gnome-keyring ou KWallet, par exemple), puis réessayez. Rien n&apos;a été enregistré.</translation>
    </message>
    <message>
        <location filename="../../console/sync/signin_errors.py" line="1"/>
        <source>{host} could not sign you in right now: try again later (the details are in the log).</source>
        <translation>{host} n&apos;a pas pu vous connecter pour l&apos;instant&#xa0;: réessayez plus tard (les détails sont dans le journal).</translation>
    </message>
</context>
<context>
    <name>TeamTab</name>
    <message>
        <source>Team members and their roles</source>
        <translation>Membres de l’équipe et leur rôle</translation>
    </message>
    <message>
        <source>You are {0} ({1}).</source>
        <translation>Vous êtes {0} ({1}).</translation>
    </message>
    <message>
        <source>Nobody is you yet: choose yourself in the list, then “This is me”.</source>
        <translation>Personne n’est vous pour l’instant : choisissez-vous dans la liste, puis « C’est moi ».</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="442"/>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="443"/>
        <source>Lead</source>
        <translation>Responsable</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="444"/>
        <source>Admin</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="447"/>
        <location filename="../../console/views/settings_dialog.py" line="455"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="447"/>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="452"/>
        <source>This is me</source>
        <translation>C&apos;est moi</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="457"/>
        <source>Add member</source>
        <translation>Ajouter un membre</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="461"/>
        <source>Role:</source>
        <translation>Rôle&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="471"/>
        <source>Agents answer; leads also reassign colleagues&apos; conversations; admins also change these settings.</source>
        <translation>Les agents répondent&#xa0;; les responsables peuvent aussi réattribuer les conversations de leurs collègues&#xa0;; les administrateurs peuvent aussi modifier ces paramètres.</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="506"/>
        <source>you</source>
        <translation>vous</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="536"/>
        <source>Type the new member&apos;s name.</source>
        <translation>Saisissez le nom du nouveau membre.</translation>
    </message>
</context>
<context>
    <name>WholeMessageDialog</name>
    <message>
        <source>Whole message — {0}</source>
        <translation>Message entier — {0}</translation>
    </message>
</context>
<context>
    <name>WorkflowTab</name>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="684"/>
        <source>Direct messages:</source>
        <translation>Messages privés&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="685"/>
        <source>E-mails:</source>
        <translation>E-mails&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="686"/>
        <source>Public mentions and replies:</source>
        <translation>Mentions et réponses publiques&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="687"/>
        <source>Blog comments:</source>
        <translation>Commentaires de blog&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="699"/>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="702"/>
        <source>Answer within</source>
        <translation>Délai de réponse</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="706"/>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="710"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="713"/>
        <source>A new account&apos;s first sync looks back:</source>
        <translation>La première synchronisation d&apos;un nouveau compte remonte à&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="714"/>
        <source>Check each account for news every:</source>
        <translation>Vérifier les nouveautés de chaque compte toutes les&#xa0;:</translation>
    </message>
    <message>
        <location filename="../../console/views/settings_dialog.py" line="715"/>
        <source>Sync</source>
        <translation>Synchronisation</translation>
    </message>
</context>
<context>
    <name>Alerts</name>
    <message>
        <location filename="../../console/views/alerts.py" line="52"/>
        <source>Parloir cannot open its cache</source>
        <translation>Parloir ne peut pas ouvrir son cache</translation>
    </message>
    <message>
        <location filename="../../console/views/alerts.py" line="64"/>
        <source>The cache is damaged</source>
        <translation>Le cache est endommagé</translation>
    </message>
    <message>
        <location filename="../../console/views/alerts.py" line="92"/>
        <source>Something unexpected went wrong ({kind}); Parloir keeps running and the details are in {log}.</source>
        <translation>Un incident imprévu s&apos;est produit ({kind})&#xa0;; Parloir continue de fonctionner et les détails sont dans {log}.</translation>
    </message>
</context>
<context>
    <name>Accessibility</name>
    <message>
        <source>Views, accounts, tags and team of the queue</source>
        <translation>Vues, comptes, étiquettes et équipe de la file</translation>
    </message>
    <message>
        <source>Search messages, names, subjects and notes</source>
        <translation>Chercher dans les messages, noms, sujets et notes</translation>
    </message>
    <message>
        <source>Search this view only, or every conversation</source>
        <translation>Chercher dans cette vue seulement, ou dans toutes les conversations</translation>
    </message>
    <message>
        <source>Order of the conversations in the queue</source>
        <translation>Ordre des conversations dans la file</translation>
    </message>
    <message>
        <source>The conversations waiting for an answer</source>
        <translation>Les conversations qui attendent une réponse</translation>
    </message>
    <message>
        <source>The messages of the open conversation</source>
        <translation>Les messages de la conversation ouverte</translation>
    </message>
    <message>
        <source>Your reply; Ctrl+Enter sends it</source>
        <translation>Votre réponse ; Ctrl+Entrée l’envoie</translation>
    </message>
    <message>
        <source>Queue the reply in the outbox</source>
        <translation>Mettre la réponse dans la boîte d’envoi</translation>
    </message>
    <message>
        <source>Insert a saved reply at the cursor</source>
        <translation>Insérer une réponse enregistrée au curseur</translation>
    </message>
    <message>
        <source>A note only the team sees; Enter adds it</source>
        <translation>Une note que seule l’équipe voit ; Entrée l’ajoute</translation>
    </message>
    <message>
        <source>Assign the conversation to me</source>
        <translation>M’attribuer la conversation</translation>
    </message>
    <message>
        <source>Assign the conversation to a team member</source>
        <translation>Attribuer la conversation à un membre de l’équipe</translation>
    </message>
    <message>
        <source>Hide the conversation until a time</source>
        <translation>Masquer la conversation jusqu’à une heure</translation>
    </message>
    <message>
        <source>Add or remove tags</source>
        <translation>Ajouter ou retirer des étiquettes</translation>
    </message>
    <message>
        <source>Set the priority</source>
        <translation>Choisir la priorité</translation>
    </message>
    <message>
        <source>Waiting on the other side</source>
        <translation>En attente de l’autre côté</translation>
    </message>
    <message>
        <source>Done: close the conversation</source>
        <translation>Terminé : fermer la conversation</translation>
    </message>
    <message>
        <source>Applies to every selected conversation</source>
        <translation>S’applique à toutes les conversations sélectionnées</translation>
    </message>
</context>
<context>
    <name>UndoBar</name>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z)</source>
        <translation>Annuler (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Rien à changer.</translation>
    </message>
    <message>
        <source>Assigned to you.</source>
        <translation>Vous est attribuée.</translation>
    </message>
    <message>
        <source>Assigned {0} conversations to you.</source>
        <translation>{0} conversations vous sont attribuées.</translation>
    </message>
    <message>
        <source>Unassigned.</source>
        <translation>Désattribuée.</translation>
    </message>
    <message>
        <source>Unassigned {0} conversations.</source>
        <translation>{0} conversations désattribuées.</translation>
    </message>
    <message>
        <source>Assigned to {0}.</source>
        <translation>Attribuée à {0}.</translation>
    </message>
    <message>
        <source>Assigned {0} conversations to {1}.</source>
        <translation>{0} conversations attribuées à {1}.</translation>
    </message>
    <message>
        <source>Closed.</source>
        <translation>Fermée.</translation>
    </message>
    <message>
        <source>Closed {0} conversations.</source>
        <translation>{0} conversations fermées.</translation>
    </message>
    <message>
        <source>Marked pending.</source>
        <translation>Mise en attente.</translation>
    </message>
    <message>
        <source>Marked {0} conversations pending.</source>
        <translation>{0} conversations mises en attente.</translation>
    </message>
    <message>
        <source>Reopened.</source>
        <translation>Rouverte.</translation>
    </message>
    <message>
        <source>Reopened {0} conversations.</source>
        <translation>{0} conversations rouvertes.</translation>
    </message>
    <message>
        <source>Snoozed until {0}.</source>
        <translation>Mise en veille jusqu’au {0}.</translation>
    </message>
    <message>
        <source>Snoozed {0} conversations until {1}.</source>
        <translation>{0} conversations mises en veille jusqu’au {1}.</translation>
    </message>
    <message>
        <source>Tagged #{0}.</source>
        <translation>Étiquette #{0} ajoutée.</translation>
    </message>
    <message>
        <source>Tagged {0} conversations #{1}.</source>
        <translation>Étiquette #{1} ajoutée à {0} conversations.</translation>
    </message>
    <message>
        <source>Removed #{0}.</source>
        <translation>Étiquette #{0} retirée.</translation>
    </message>
    <message>
        <source>Removed #{0} from {1} conversations.</source>
        <translation>Étiquette #{0} retirée de {1} conversations.</translation>
    </message>
    <message>
        <source>Priority set to {0}.</source>
        <translation>Priorité passée à {0}.</translation>
    </message>
    <message>
        <source>Priority set to {0} on {1} conversations.</source>
        <translation>Priorité passée à {0} pour {1} conversations.</translation>
    </message>
    <message>
        <source>Nothing undone: the conversations had changed since.</source>
        <translation>Rien n’a été annulé&#xa0;: les conversations ont changé entre-temps.</translation>
    </message>
    <message>
        <source>Undone.</source>
        <translation>Annulé.</translation>
    </message>
    <message>
        <source>Undone, except one conversation that had changed since.</source>
        <translation>Annulé, sauf une conversation qui a changé entre-temps.</translation>
    </message>
    <message>
        <source>Undone, except {0} conversations that had changed since.</source>
        <translation>Annulé, sauf {0} conversations qui ont changé entre-temps.</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <source>Saved reply: {0}</source>
        <translation>Réponse enregistrée : {0}</translation>
    </message>
    <message>
        <source>Go to {0}</source>
        <translation>Aller à {0}</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchroniser</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Boîte d’envoi</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Répondre</translation>
    </message>
    <message>
        <source>Take (assign to me)</source>
        <translation>Prendre (me l’attribuer)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Rouvrir</translation>
    </message>
    <message>
        <source>Mark unread</source>
        <translation>Marquer comme non lue</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Snooze: {0}</source>
        <translation>Reporter : {0}</translation>
    </message>
    <message>
        <source>Assign to {0}</source>
        <translation>Attribuer à {0}</translation>
    </message>
    <message>
        <source>Unassign</source>
        <translation>Retirer l’attribution</translation>
    </message>
    <message>
        <source>Tag #{0}</source>
        <translation>Étiqueter #{0}</translation>
    </message>
    <message>
        <source>Remove tag #{0}</source>
        <translation>Retirer l’étiquette #{0}</translation>
    </message>
    <message>
        <source>Priority: {0}</source>
        <translation>Priorité : {0}</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <source>Commands</source>
        <translation>Commandes</translation>
    </message>
    <message>
        <source>Type a command or a saved reply…</source>
        <translation>Tapez une commande ou une réponse enregistrée…</translation>
    </message>
    <message>
        <source>Filters the list; Enter runs the chosen one</source>
        <translation>Filtre la liste ; Entrée lance celle choisie</translation>
    </message>
    <message>
        <source>Nothing matches.</source>
        <translation>Rien ne correspond.</translation>
    </message>
</context>
<context>
    <name>AppearanceTab</name>
    <message>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>Appearance:</source>
        <translation>Apparence&#xa0;:</translation>
    </message>
    <message>
        <source>System follows the light or dark setting of the desktop.</source>
        <translation>« Système » suit le réglage clair ou sombre du bureau.</translation>
    </message>
</context>
<context>
    <name>EngineLink</name>
    <message>
        <source>Syncing stopped unexpectedly; starting again in {0} s.</source>
        <translation>La synchronisation s’est arrêtée de façon imprévue&#xa0;; reprise dans {0}&#xa0;s.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>{0} new messages on your conversations</source>
        <translation>{0} nouveaux messages sur vos conversations</translation>
    </message>
    <message>
        <source>{0} updates on your conversations</source>
        <translation>{0} nouveautés sur vos conversations</translation>
    </message>
    <message>
        <source>By {0}</source>
        <translation>Par {0}</translation>
    </message>
    <message>
        <source>Assigned to you: {0}</source>
        <translation>Vous est assignée : {0}</translation>
    </message>
    <message>
        <source>{0} mentioned you</source>
        <translation>{0} vous mentionne</translation>
    </message>
    <message>
        <source>A colleague</source>
        <translation>Un collègue</translation>
    </message>
    <message>
        <source>Answer soon: {0}</source>
        <translation>À répondre bientôt : {0}</translation>
    </message>
    <message>
        <source>New message from {0}</source>
        <translation>Nouveau message de {0}</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
</context>
<context>
    <name>NotificationsTab</name>
    <message>
        <source>A conversation is assigned to me</source>
        <translation>Une conversation m’est assignée</translation>
    </message>
    <message>
        <source>A new message on my conversations</source>
        <translation>Un nouveau message sur mes conversations</translation>
    </message>
    <message>
        <source>A note mentions me</source>
        <translation>Une note me mentionne</translation>
    </message>
    <message>
        <source>A time to answer is about to pass</source>
        <translation>Un délai de réponse va expirer</translation>
    </message>
    <message>
        <source>Only about conversations assigned to me</source>
        <translation>Seulement pour les conversations qui me sont assignées</translation>
    </message>
    <message>
        <source>Do not disturb from:</source>
        <translation>Ne pas déranger de :</translation>
    </message>
    <message>
        <source>Until:</source>
        <translation>À :</translation>
    </message>
    <message>
        <source>Tell me on the desktop when:</source>
        <translation>Me prévenir sur le bureau quand :</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>The same hour twice: never quiet. Nothing about my own actions.</source>
        <translation>Deux fois la même heure : jamais en silence. Rien sur mes propres actions.</translation>
    </message>
</context>
</TS>
