# Die Texte der Web-App (Deutsch).

## Layout
skip-to-content = Zum Inhalt springen
search-label = Fragen und Antworten durchsuchen
search-placeholder = Suchen…
search-button = Suchen
nav-account = Konto
nav-signin = Anmelden
nav-signup = Registrieren
nav-signout = Abmelden
nav-password = Passwort ändern
footer-powered = Eine peerdesk-Support-Community, verbunden mit dem Fediverse
footer-api = API

## Home
home-title = Support-Communitys
home-intro = Stellen Sie Fragen, finden Sie Antworten und folgen Sie diesen Gruppen von jedem Fediverse-Server aus.
home-search-label = Alle Gruppen durchsuchen
home-groups = Gruppen
home-no-groups = Hier gibt es noch keine Gruppen.
group-question-count = { $n ->
    [one] eine Frage
   *[other] { $n } Fragen
}
group-last-active = zuletzt aktiv am { $value }

## Group
copy-handle = Adresse kopieren
copy-done = Kopiert
group-followers = { $n ->
    [one] ein Follower
   *[other] { $n } Follower
}
group-guidelines = Regeln
group-follow-hint = Folgen Sie @{ $value } von einem beliebigen Fediverse-Konto aus, um zu fragen und zu antworten.
group-questions = Fragen
sort-label = Fragen sortieren
sort-new = Neu
sort-active = Aktiv
sort-top = Beste
sort-unanswered = Unbeantwortet
sort-solved = Gelöst
filter-tag = Mit Schlagwort „{ $value }“.
filter-clear = Alle Schlagwörter zeigen
tags-label = Schlagwörter
questions-none = Hier gibt es noch keine Fragen.
question-votes = { $n ->
    [one] 1 Stimme
   *[other] { $n } Stimmen
}
question-answers = { $n ->
    [one] 1 Antwort
   *[other] { $n } Antworten
}
question-solved = Gelöst
asked-by = Gefragt von
answered-by = Beantwortet von
in-group = in
pager-label = Seiten
pager-prev = Vorige Seite
pager-next = Nächste Seite
pager-page = Seite { $n }

## Thread
state-locked = Gesperrt
state-removed = Entfernt
state-deleted = Gelöscht
post-edited = bearbeitet
thread-answer-count = { $n ->
    [0] Noch keine Antworten
    [one] 1 Antwort
   *[other] { $n } Antworten
}
thread-accepted = Akzeptierte Antwort
thread-answer = Antwort
thread-no-answers = Noch hat niemand geantwortet.
thread-comments = Kommentare
thread-deleted = Dieser Beitrag wurde von seinem Autor gelöscht.
thread-removed = Dieser Beitrag wurde von der Moderation entfernt.
thread-deleted-title = Gelöschte Frage
thread-removed-title = Entfernte Frage
thread-locked-notice = Diese Diskussion ist gesperrt: Sie nimmt keine neuen Antworten oder Kommentare an.
score-label = { $n ->
    [one] Stimme
    [-1] Stimme
   *[other] Stimmen
}
staff-verified = Mitarbeiter · { $value }
staff-verified-title = Bestätigter Mitarbeiter von { $value }
staff-unverified = Gibt an, Mitarbeiter von { $value } zu sein (nicht bestätigt)
staff-unverified-title = Die Domain der Organisation bestätigt diese Angabe nicht.

## Search
search-title = Suche
search-title-for = Suche: { $value }
search-filters = Suchfilter
search-group = Gruppe
search-all-groups = Alle Gruppen
search-status = Status
search-status-any = Alle
search-tag = Schlagwort
search-result-count = { $n ->
    [one] 1 Treffer
   *[other] { $n } Treffer
}
search-none = Nichts gefunden. Versuchen Sie andere Wörter oder weniger Filter.
search-answer-to = Antwort auf:

## Profile
profile-admin = Admin
profile-since = Mitglied seit { $value }
profile-reputation = Reputation: { $n }
profile-breakdown = Wie sich die Reputation zusammensetzt
profile-no-reputation = Noch keine Reputation.
profile-rep-what = Ereignis
profile-rep-points = Punkte
profile-rep-note = Hinweis
profile-rep-date = Datum
profile-badges = Abzeichen
profile-no-badges = Noch keine Abzeichen.
profile-questions = Fragen
profile-answers = Antworten
profile-no-answers = Noch keine Antworten.
rep-vote-answer = Stimme für eine Antwort
rep-vote-question = Stimme für eine Frage
rep-accepted = Antwort akzeptiert
rep-removed = Beitrag von der Moderation entfernt
rep-report-upheld = Meldung bestätigt
badge-first-question = Erste Frage
badge-first-answer = Erste Antwort
badge-first-accepted-answer = Erste akzeptierte Antwort
badge-ten-accepted-answers = Zehn akzeptierte Antworten
badge-welcomer = Willkommensgruß

## Accounts
field-username = Benutzername
field-password = Passwort
field-current-password = Aktuelles Passwort
field-new-password = Neues Passwort
signin-title = Anmelden
signin-submit = Anmelden
signin-wrong = Benutzername oder Passwort ist falsch.
signin-no-account = Noch kein Konto?
signup-title = Konto erstellen
signup-submit = Konto erstellen
signup-closed = Auf diesem Server sind Registrierungen geschlossen.
signup-have-account = Schon ein Konto?
signup-username-hint = 2 bis 40 Zeichen: a–z, 0–9, „_“ und „-“.
signup-username-invalid = Dieser Name ist nicht möglich: 2 bis 40 Zeichen a–z, 0–9, „_“ und „-“, nicht mit „-“ am Anfang.
signup-username-taken = Dieser Name ist vergeben. Wählen Sie einen anderen.
password-hint = Mindestens { $n } Zeichen.
password-too-short = Das Passwort ist zu kurz: mindestens { $n } Zeichen.
password-too-long = Das Passwort ist zu lang: höchstens { $n } Bytes.
password-title = Passwort ändern
password-submit = Passwort ändern
password-changed = Ihr Passwort wurde geändert. Andere angemeldete Browser wurden abgemeldet.
password-wrong-current = Das aktuelle Passwort ist falsch.
form-too-many = Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es erneut.

## Errors
error-home-link = Zur Startseite
csrf-title = Das Formular konnte nicht gesendet werden
csrf-message = Das Formular war veraltet oder kam von einer anderen Website, daher wurde nichts geändert. Öffnen Sie das Formular erneut und senden Sie es noch einmal.
csrf-back = Zurück zum Formular
error-not-found-title = Nicht gefunden
error-not-found-message = Unter dieser Adresse gibt es keine Seite.
error-gone-title = Nicht mehr vorhanden
error-gone-message = Diese Seite wurde gelöscht.
error-forbidden-title = Nicht erlaubt
error-forbidden-message = Sie dürfen dies nicht sehen oder tun.
error-unauthorized-title = Bitte zuerst anmelden
error-unauthorized-message = Melden Sie sich an, um diese Seite zu sehen.
error-too-many-title = Zu viele Anfragen
error-too-many-message = Warten Sie eine Minute und versuchen Sie es erneut.
error-bad-request-title = Mit dieser Anfrage stimmt etwas nicht
error-bad-request-message = Die Anfrage war nicht verständlich. Prüfen Sie die Adresse oder das Formular und versuchen Sie es erneut.
error-internal-title = Etwas ist schiefgegangen
error-internal-message = Bei uns ist etwas schiefgegangen. Versuchen Sie es gleich noch einmal.

# outreach
remote-follow-title = Von Ihrem Server aus folgen
remote-follow-page-title = @{ $value } von Ihrem Server aus folgen
remote-follow-label = Ihr Fediverse-Handle
remote-follow-submit = Folgen
remote-follow-back = Zurück zur Seite
remote-follow-paste = Oder suchen Sie auf Ihrem Server nach @{ $value } und folgen Sie dort.
remote-follow-bad-handle = Geben Sie Ihr Handle als @name@ihr.server ein, zum Beispiel @ich@mastodon.example.
remote-follow-unknown = Ihr Server kennt dieses Konto nicht. Prüfen Sie Namen und Server.
remote-follow-no-template = Ihr Server bietet kein Folgen von einer anderen Seite aus an. Suchen Sie auf Ihrem Server nach @{ $value } und folgen Sie dort.
remote-follow-unreachable = Ihr Server hat nicht geantwortet. Versuchen Sie es später noch einmal, oder suchen Sie auf Ihrem Server nach @{ $value } und folgen Sie dort.
