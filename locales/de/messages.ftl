# Private Nachrichten (/messages, /messages/{id}, /messages/new).
messages-title = Nachrichten
messages-intro = Private Unterhaltungen mit einer Person, hier oder auf einem anderen Server. Nur Sie beide sehen sie.
messages-none = Noch keine Nachrichten.
messages-unread = { $value } ungelesen
messages-with = Unterhaltung mit { $value }
messages-private = Privat: nur Sie beide sehen diese Unterhaltung.
messages-deleted = Diese Nachricht wurde gelöscht.
messages-reply = Ihre Nachricht
messages-send = Senden
messages-new-title = Eine Nachricht senden
messages-to = An (Name oder Name@Server)
messages-unknown-recipient = Niemand mit diesem Namen wurde gefunden.
messages-send-link = Eine Nachricht senden
messages-report = Diese Nachricht melden
messages-report-reason = Warum ist sie missbräuchlich?
messages-report-send = An die Admins melden
messages-reported = Danke: die Admins haben Ihre Meldung.
