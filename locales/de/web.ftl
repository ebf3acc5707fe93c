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
group-settings-link = Einstellungen der Gruppe
group-follow = Dieser Gruppe folgen
group-following = Du folgst dieser Gruppe.
group-unfollow = Nicht mehr folgen
group-asking-followers = Nur wer der Gruppe folgt, darf hier Fragen stellen; antworten dürfen alle.
group-asking-members = Nur Mitglieder der Gruppe (Konten auf diesem Server und ihre Moderatoren) dürfen hier Fragen stellen; antworten dürfen alle.
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
rep-staff-approved = Antwort vom Support bestätigt
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
signup-invite-only = Registrierung auf diesem Server nur mit Einladung. Gib den Code deiner Einladung ein (ein Einladungslink füllt ihn aus).
signup-invite = Einladungscode
signup-invite-missing = Gib den Code deiner Einladung ein.
signup-invite-invalid = Diese Einladung ist nicht gültig: unbekannt, aufgebraucht, widerrufen oder abgelaufen.
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
remote-follow-too-many = Zu viele Abfragen von Ihrer Adresse. Warten Sie eine Minute und versuchen Sie es erneut, oder suchen Sie auf Ihrem Server nach @{ $value } und folgen Sie dort.
# email
email-title = E-Mail-Adresse
email-field = E-Mail-Adresse
email-hint = Für Benachrichtigungen per E-Mail und zum Zurücksetzen des Passworts. Wir senden einen Link zur Bestätigung; lassen Sie das Feld leer, um die Adresse zu entfernen.
email-current-verified = Ihre Adresse { $value } ist bestätigt.
email-current-unverified = { $value } ist noch nicht bestätigt: Öffnen Sie den Link, den wir dorthin gesendet haben. Speichern Sie die Adresse erneut für einen neuen Link.
email-none = Sie haben noch keine E-Mail-Adresse.
email-submit = Adresse speichern
email-sent = Wir haben einen Bestätigungslink an Ihre Adresse gesendet. Er funktioniert einmal, 48 Stunden lang.
email-invalid = Das ist keine gültige E-Mail-Adresse.
email-taken = Diese Adresse ist von einem anderen Konto bestätigt.
email-disabled = Diese Instanz versendet keine E-Mails.
email-verified-title = Adresse bestätigt
email-verified-text = Ihre E-Mail-Adresse ist bestätigt. Benachrichtigungen und Links zum Zurücksetzen des Passworts gehen nun dorthin.
email-link-failed-title = Dieser Link funktioniert nicht
email-verify-failed-text = Der Link ist ungültig, wurde schon benutzt oder ist abgelaufen. Fordern Sie in Ihren E-Mail-Einstellungen einen neuen an.
signup-email = E-Mail-Adresse (freiwillig)
signup-email-hint = Für Benachrichtigungen per E-Mail und zum Zurücksetzen des Passworts; wir senden einen Link zur Bestätigung.
signin-forgot = Passwort vergessen?
forgot-title = Passwort vergessen?
forgot-intro = Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse ein. Hat das Konto eine bestätigte E-Mail-Adresse, senden wir dorthin einen Link, mit dem Sie ein neues Passwort wählen.
forgot-field = Benutzername oder E-Mail-Adresse
forgot-submit = Link senden
forgot-empty = Geben Sie einen Benutzernamen oder eine E-Mail-Adresse ein.
forgot-sent = Wenn ein Konto mit bestätigter E-Mail-Adresse passt, ist ein Link für ein neues Passwort unterwegs. Er funktioniert einmal, eine Stunde lang.
forgot-disabled = Diese Instanz versendet keine E-Mails, daher lassen sich Passwörter nicht per E-Mail zurücksetzen. Wenden Sie sich an die Administration.
reset-title = Neues Passwort wählen
reset-submit = Neues Passwort setzen
reset-invalid = Dieser Link ist ungültig, wurde schon benutzt oder ist abgelaufen.
reset-again = Einen neuen Link anfordern
unsubscribe-title = Abbestellen
unsubscribe-confirm = Keine E-Mails mehr über: { $value }?
unsubscribe-submit = Abbestellen
unsubscribe-done = Erledigt: Diese E-Mails sind abbestellt. In Ihren Benachrichtigungseinstellungen können Sie sie wieder einschalten.
unsubscribe-invalid = Dieser Abbestell-Link ist ungültig.
mail-kind-all = alle Benachrichtigungen
mail-kind-answer = Antworten auf Ihre Fragen
mail-kind-comment = Kommentare zu Ihren Beiträgen
mail-kind-accepted = Ihre akzeptierten Antworten
mail-kind-mention = Erwähnungen von Ihnen
mail-kind-badge = Abzeichen, die Sie erhalten
mail-kind-removed = von Moderatoren entfernte Beiträge von Ihnen
mail-kind-locked = von Moderatoren gesperrte Fragen von Ihnen
mail-kind-report_resolved = das Ergebnis Ihrer Meldungen
mail-verify-subject = Bestätigen Sie Ihre E-Mail-Adresse bei { $value }
mail-verify-body = Öffnen Sie diesen Link, um zu bestätigen, dass diese Adresse zu Ihrem Konto bei { $value } gehört. Er funktioniert einmal, 48 Stunden lang:
mail-verify-action = Adresse bestätigen
mail-reset-subject = Neues Passwort bei { $value } wählen
mail-reset-body = Jemand, hoffentlich Sie, hat ein neues Passwort für das Konto { $value } angefordert. Öffnen Sie diesen Link innerhalb einer Stunde, um eines zu wählen:
mail-reset-action = Neues Passwort wählen
mail-ignore = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Es ändert sich nichts.
mail-notification-intro = Neuigkeiten für Sie bei { $value }:
mail-digest-subject = Ihre tägliche Zusammenfassung von { $value }
mail-digest-intro = { $n ->
    [one] Eine Benachrichtigung seit der letzten Zusammenfassung:
   *[other] { $n } Benachrichtigungen seit der letzten Zusammenfassung:
}
mail-open = Öffnen
mail-unsubscribe-kind = Diese E-Mails abbestellen
mail-unsubscribe-all = Alle Benachrichtigungs-E-Mails abbestellen
mail-settings = E-Mail-Einstellungen
mail-note-by = (von { $value })
mail-note-answer = Neue Antwort auf Ihre Frage „{ $value }“
mail-note-comment = Neuer Kommentar in „{ $value }“
mail-note-accepted = Ihre Antwort in „{ $value }“ wurde akzeptiert
mail-note-mention = Sie wurden in „{ $value }“ erwähnt
mail-note-badge = Sie haben das Abzeichen „{ $value }“ erhalten
mail-note-removed = Ein Moderator hat Ihren Beitrag in „{ $value }“ entfernt
mail-note-locked = Ein Moderator hat Ihre Frage „{ $value }“ gesperrt
mail-note-report_resolved = Ihre Meldung zu „{ $value }“ wurde bearbeitet
mail-note-welcome = Willkommen in „{ $value }“
# thread
vote-up = Hilfreich (positiv bewerten)
vote-down = Nicht hilfreich (negativ bewerten)
thread-accept = Diese Antwort akzeptieren
thread-unaccept = Akzeptierte Antwort zurücknehmen
thread-accept-refused = Nur wer gefragt hat, die Moderation der Gruppe und Mitarbeitende können eine Antwort akzeptieren.
thread-accept-not-answer = Nur eine sichtbare Antwort auf diese Frage kann akzeptiert werden.
thread-too-many = Das war zu oft. Warte eine Minute und versuche es erneut; dein Text bleibt erhalten.
thread-post-gone = Dieser Beitrag wurde gelöscht und nimmt keine Antworten oder Stimmen mehr an.
thread-banned = Du bist in dieser Gruppe gesperrt und kannst dort nicht schreiben oder abstimmen.
thread-text-empty = Schreib zuerst einen Text.
thread-text-too-long = Der Text ist zu lang: höchstens { $n } Bytes.
post-edit = Bearbeiten
post-delete = Löschen
post-history = Versionen
post-report = Melden
comment-add = Kommentieren
comment-label = Dein Kommentar
comment-submit = Kommentar senden
answer-title = Deine Antwort
answer-label = Antwort
answer-submit = Antwort senden
answer-signin = Zum Antworten anmelden
markdown-hint = Markdown: **fett**, *kursiv*, `Code`, [Links](https://…), Listen.
preview-button = Vorschau
preview-title = Vorschau
cancel = Abbrechen
back-to-thread = Zurück zur Frage
field-title = Titel
field-body = Text
field-tags = Schlagwörter
tags-hint = Durch Leerzeichen oder Kommas getrennt, höchstens 10.
edit-title = Beitrag bearbeiten
edit-save = Änderungen speichern
edit-title-invalid = Ein Titel hat 3 bis 200 Zeichen.
edit-too-many-tags = Höchstens { $n } Schlagwörter.
history-title = Versionen
history-current = Aktuelle Version, { $value }
history-replaced = Ersetzt am { $value }
delete-title = Beitrag löschen
delete-warning = Diesen Beitrag löschen? Er bleibt als „vom Autor gelöscht“ in der Diskussion; sein Text ist weg.
delete-question-warning = Diese Frage löschen? Sie und ihr Text sind für alle weg; die Antworten bleiben in der Diskussion.
delete-confirm = Ja, löschen
report-title = Beitrag melden
report-intro = Sag der Moderation, was an diesem Beitrag nicht stimmt. Sie sieht deine Meldung, der Autor nicht.
report-reason = Grund
report-reason-hint = Was gegen die Regeln verstößt, in höchstens { $n } Zeichen.
report-reason-empty = Gib einen Grund für die Meldung an.
report-reason-too-long = Der Grund ist zu lang: höchstens { $n } Zeichen.
report-anonymous = An andere Server als dieser Server senden, nicht als ich
report-anonymous-hint = Manche Server nehmen nur Meldungen von Personen an; eine anonyme Meldung erreicht daher weniger von ihnen.
report-submit = Meldung senden
report-sent = Danke. Die Moderation hat deine Meldung erhalten.
report-again = Du hattest diesen Beitrag schon gemeldet; die Moderation hat die Meldung.
# ask, settings, notifications
nav-settings = Einstellungen
nav-notifications = Benachrichtigungen
nav-ask = Frage stellen
notifications-unread-label = { $n ->
    [one] ungelesene Benachrichtigung
   *[other] ungelesene Benachrichtigungen
}
ask-title = Frage stellen
ask-title-in = Frage in { $value } stellen
ask-group = Gruppe
ask-group-choose = Gruppe wählen
ask-group-missing = Wähle die Gruppe, in der du fragen willst.
ask-field-title = Titel
ask-title-hint = Sag in einem Satz, was passiert. Ähnliche Fragen erscheinen beim Tippen darunter.
ask-title-length = Der Titel hat { $min } bis { $max } Zeichen.
ask-check-similar = Nach ähnlichen Fragen suchen
ask-similar-heading = Ähnliche Fragen
ask-similar-hint = Vielleicht beantwortet eine davon schon deine Frage.
ask-similar-none = Keine ähnlichen Fragen gefunden. Frag ruhig.
ask-similar-accepted = Akzeptierte Antwort
ask-field-body = Deine Frage
ask-body-hint = Markdown: **fett**, `Code`, Listen und Links. Sag, was du schon versucht hast.
ask-body-empty = Beschreibe deine Frage.
ask-body-long = Der Text ist zu lang: höchstens { $n } Bytes.
ask-preview = Vorschau
ask-preview-heading = Vorschau
ask-field-tags = Schlagwörter
ask-tags-hint = Freiwillig, durch Kommas oder Leerzeichen getrennt.
ask-tags-many = Höchstens { $n } Schlagwörter.
ask-guidelines-heading = Die Richtlinien der Gruppe
ask-guidelines-accept = Ich habe die Richtlinien gelesen
ask-guidelines-required = Lies die Richtlinien und setze das Häkchen: Das ist dein erster Beitrag in dieser Gruppe.
ask-forbidden = Du darfst in dieser Gruppe nicht schreiben.
ask-refused-followers = Nur wer dieser Gruppe folgt, darf in ihr Fragen stellen. Folge der Gruppe zuerst auf ihrer Seite.
ask-refused-members = Nur Mitglieder dieser Gruppe dürfen in ihr Fragen stellen: Konten auf diesem Server und ihre Moderatoren.
ask-welcome-heading = Willkommen in der Gruppe
ask-submit = Frage veröffentlichen
settings-title = Einstellungen
settings-saved = Deine Einstellungen wurden gespeichert.
settings-profile = Profil
settings-display-name = Anzeigename
settings-display-name-hint = Freiwillig, höchstens { $n } Zeichen.
settings-display-name-long = Der Anzeigename ist zu lang: höchstens { $n } Zeichen.
settings-bio = Über dich
settings-bio-hint = Markdown, wird in deinem Profil gezeigt.
settings-bio-long = Der Text ist zu lang: höchstens { $n } Bytes.
settings-language = Sprache der Seiten
settings-language-browser = Die Sprache des Browsers
settings-language-en = English (Englisch)
settings-language-de = Deutsch
settings-email = Benachrichtigungen per E-Mail
settings-email-hint = Hier siehst du Benachrichtigungen immer; wähle, welche auch per E-Mail kommen.
settings-email-address = Deine E-Mail-Adresse: festlegen, bestätigen oder ändern
settings-email-off = Nie
settings-email-immediately = Sofort
settings-email-digest = Tägliche Zusammenfassung
settings-kind-answer = Eine Antwort auf meine Frage
settings-kind-comment = Ein Kommentar zu meinem Beitrag
settings-kind-accepted = Meine Antwort wurde akzeptiert
settings-kind-mention = Jemand hat mich erwähnt
settings-kind-badge = Ich habe ein Abzeichen erhalten
settings-kind-removed = Ein Moderator hat meinen Beitrag entfernt
settings-kind-locked = Ein Moderator hat meine Frage gesperrt
settings-kind-report_resolved = Das Ergebnis meiner Meldung
settings-kind-welcome = Eine Gruppe heißt mich willkommen
settings-submit = Einstellungen speichern
notifications-title = Benachrichtigungen
notifications-none = Noch keine Benachrichtigungen.
notifications-new = Neu
notifications-mark-read = Als gelesen markieren
notifications-mark-all = Alle als gelesen markieren
notifications-older = Ältere Benachrichtigungen
notifications-pages = Weitere Benachrichtigungen
notification-untitled = eine Frage
notification-someone = Jemand
notification-answer = { $who } hat deine Frage „{ $title }“ beantwortet
notification-comment = { $who } hat deinen Beitrag in „{ $title }“ kommentiert
notification-accepted = Deine Antwort auf „{ $title }“ wurde akzeptiert
notification-mention = { $who } hat dich in „{ $title }“ erwähnt
notification-badge = Du hast das Abzeichen „{ $badge }“ erhalten
notification-removed = Ein Moderator hat deinen Beitrag in „{ $title }“ entfernt
notification-locked = Ein Moderator hat „{ $title }“ gesperrt
notification-report_resolved = Deine Meldung zu „{ $title }“ wurde bearbeitet
notification-report_dismissed = Deine Meldung zu „{ $title }“ wurde abgelehnt
notification-welcome = Willkommen in „{ $title }“

## The staff console
nav-staff = Support-Eingang
staff-inbox-title = Support-Eingang
staff-inbox-intro = Fragen in den Gruppen, die { $value } anerkennen.
staff-verification-link = Bestätigungsstatus
staff-tabs-label = Filter des Eingangs
staff-tab-unanswered = Unbeantwortet
staff-tab-unaccepted = Beantwortet, nicht akzeptiert
staff-tab-mentions = Erwähnt Mitarbeiter
staff-tab-popular = Viele Stimmen, keine Support-Antwort
staff-hours-label = Mindestens so lange unbeantwortet (Stunden)
staff-votes-label = Mindestens so viele Stimmen
staff-apply = Anwenden
staff-none = Zurzeit nichts zu tun.
staff-age-hours = { $n ->
    [one] 1 Stunde alt
   *[other] { $n } Stunden alt
}
staff-age-days = { $n ->
    [one] 1 Tag alt
   *[other] { $n } Tage alt
}
staff-asker-history = { $asked } Fragen gestellt, { $accepted } Antworten akzeptiert
staff-answers = { $n ->
    [one] 1 Antwort
   *[other] { $n } Antworten
}
staff-votes = { $n ->
    [one] 1 Stimme
   *[other] { $n } Stimmen
}
staff-claim = Ich kümmere mich
staff-unclaim = Meine Übernahme freigeben
staff-release = Übernahme freigeben
staff-claimed-by = Übernommen von { $value }
staff-approve = Als vom Support bestätigt markieren
staff-unapprove = Support-Bestätigung zurückziehen
staff-approved-by = Vom Support bestätigt: { $value }
staff-forbidden = Diese Seite ist für Mitarbeiter einer Organisation. Melde dich mit einem Mitarbeiterkonto an, oder bitte einen Admin dieser Instanz, dein Konto deiner Organisation zuzuordnen.
staff-refused-title = Nicht ausgeführt
staff-claimed-by-other = Jemand anderes hat diese Frage bereits übernommen. Lade den Eingang neu, um zu sehen, wer.
staff-invalid = Das geht hier nicht: Nur eine sichtbare Frage kann übernommen werden, und nur die sichtbare Antwort einer anderen Person kann vom Support bestätigt werden.
staff-verification-title = Bestätigungsstatus
staff-verification-org = Organisation
staff-verification-domain = Ihre Domain
staff-verification-account = Dein Konto
staff-verification-list = Die Mitarbeiterliste, die die Domain veröffentlicht
staff-verification-unreadable = Sie konnte nicht gelesen werden: { $value }
staff-verification-listed = { $value } führt dein Konto: Andere Server zeigen dich als bestätigten Mitarbeiter.
staff-verification-not-listed = { $value } führt dein Konto nicht, daher zeigen andere peerdesk-Server dich als nicht bestätigten Mitarbeiter.
staff-verification-todo = Bitte die Verantwortlichen für die Website deiner Organisation, die aktuelle Mitarbeiterliste unter /.well-known/peerdesk-staff auf dieser Domain zu veröffentlichen, zum Beispiel per Proxy auf diese Adresse:
staff-verification-others = Andere Server prüfen innerhalb etwa eines Tages nach einer Änderung der Liste erneut.

## Moderator console
mod-link = { $n ->
    [0] Moderation
    [one] Moderation (eine offene Meldung)
   *[other] Moderation ({ $n } offene Meldungen)
}
mod-reports-title = Meldungen in { $value }
mod-tabs-label = Moderation
mod-tab-open = Offene Meldungen
mod-tab-resolved = Erledigt
mod-search-label = Erledigte Meldungen durchsuchen
mod-no-open = Es gibt keine offenen Meldungen.
mod-no-closed = Keine erledigte Meldung passt.
mod-status-resolved = Bestätigt
mod-status-dismissed = Abgewiesen
mod-author = Autor: { $value }
mod-home = Heimatinstanz { $value }
mod-reputation = Reputation { $n }
mod-removals = { $n ->
    [one] eine frühere Entfernung hier
   *[other] { $n } frühere Entfernungen hier
}
mod-bans = { $n ->
    [one] eine frühere Sperre hier
   *[other] { $n } frühere Sperren hier
}
mod-reason = Grund: { $value }
mod-note-was = Notiz: { $value }
mod-reported-answer = Gemeldete Antwort oder gemeldeter Kommentar
mod-reported-user = Gemeldete Person
mod-report-count = { $n ->
    [one] eine Meldung
   *[other] { $n } Meldungen
}
mod-already-removed = Dieser Inhalt ist bereits entfernt.
mod-see-in-thread = Im Thread ansehen
mod-reasons = Was die Meldenden schreiben
mod-reporter-instance = von { $value }
mod-note = Notiz (kommt ins Moderationsprotokoll)
mod-note-hint = { $n ->
    [one] Höchstens ein Byte.
   *[other] Höchstens { $n } Bytes.
}
mod-also-remove = Den Inhalt auch entfernen
mod-ban-legend = Den Autor aus dieser Gruppe sperren
mod-also-ban = Den Autor auch sperren
mod-ban-hours = Dauer der Sperre in Stunden
mod-ban-hours-hint = Leer lassen für eine dauerhafte Sperre.
mod-ban-reason = Grund der Sperre (sonst die Notiz)
mod-resolve = Bestätigen
mod-dismiss = Abweisen
mod-report-gone = Diese Meldung ist nicht mehr offen.
mod-resolve-invalid = Bitte Notiz (höchstens 2000 Bytes) und Dauer der Sperre (ganze Stunden) prüfen.

## Moderation log
modlog-title = Moderationsprotokoll
modlog-group-title = Moderationsprotokoll von { $value }
modlog-instance-title = Moderationsprotokoll dieser Instanz
modlog-filter-label = Protokoll filtern
modlog-filter-action = Aktion
modlog-filter-moderator = Moderator
modlog-filter-submit = Filtern
modlog-all = Alle
modlog-empty = Nichts im Protokoll passt.
modlog-col-date = Datum
modlog-col-action = Aktion
modlog-col-moderator = Moderator
modlog-col-target = Betrifft
modlog-col-reason = Grund
modlog-post = Beitrag
modlog-action-remove = Entfernt
modlog-action-restore = Wiederhergestellt
modlog-action-lock = Gesperrt für Antworten
modlog-action-unlock = Für Antworten geöffnet
modlog-action-ban = Gesperrt
modlog-action-unban = Entsperrt
modlog-action-feature = Hervorgehoben
modlog-action-unfeature = Nicht mehr hervorgehoben
modlog-action-add-moderator = Moderator hinzugefügt
modlog-action-remove-moderator = Moderator entfernt
modlog-action-block-instance = Instanz blockiert
modlog-action-silence-instance = Instanz stummgeschaltet
modlog-action-allow-instance = Instanz zugelassen
modlog-action-clear-instance = Instanz-Regel aufgehoben
modlog-action-purge = Entfernte Person bereinigt

## A post's moderation page
post-moderate = Moderieren
moderate-title = Diesen Beitrag moderieren
moderate-reason = Grund (kommt ins öffentliche Moderationsprotokoll)
moderate-reason-hint = Freiwillig, höchstens 2000 Bytes.
moderate-post-legend = Der Beitrag
moderate-remove = Entfernen
moderate-restore = Wiederherstellen
moderate-lock = Für Antworten sperren
moderate-unlock = Für Antworten öffnen
moderate-feature = Hervorheben
moderate-unfeature = Nicht mehr hervorheben
moderate-ban-legend = { $value } aus dieser Gruppe sperren
moderate-ban = Den Autor sperren
moderate-unban = Sperre aufheben
moderate-remove-data = Auch die Beiträge in dieser Gruppe entfernen
moderate-hours-invalid = Bitte eine ganze Zahl von Stunden eingeben oder das Feld leer lassen.

## A group's moderators
mod-tab-moderators = Moderatoren
mod-moderators-title = Moderatoren von { $value }
mod-moderators-none = Diese Gruppe hat keine eingetragenen Moderatoren; die Admins der Instanz moderieren sie.
mod-moderator-remove = Entfernen
mod-moderator-remove-label = { $value } als Moderator entfernen
mod-moderator-add-heading = Moderator hinzufügen
mod-moderator-handle = Handle
mod-moderator-handle-hint = Ein Name hier oder name@server für jemanden anderswo.
mod-moderator-add = Hinzufügen
mod-moderator-unknown = Niemand mit diesem Handle wurde gefunden.
## A group's settings
mod-tab-settings = Einstellungen
mod-settings-title = Einstellungen von { $value }
mod-settings-saved-profile = Das Profil der Gruppe wurde gespeichert.
mod-settings-saved-newcomers = Die Willkommensnachricht und die Regel fürs Fragen wurden gespeichert.
mod-settings-saved-organisations = Die anerkannten Organisationen wurden gespeichert.
mod-settings-saved-privileges = Die Schwellen der Privilegien wurden gespeichert.
mod-settings-invalid = Prüfe dieses Formular: Etwas darin ist nicht gültig.
mod-settings-profile = Profil
mod-settings-profile-hint = Andere Server, die der Gruppe folgen, erhalten den neuen Titel, die Beschreibung und die Regeln.
mod-settings-group-title = Titel
mod-settings-title-hint = Pflichtfeld, höchstens { $n } Zeichen.
mod-settings-title-length = Gib einen Titel mit 1 bis { $n } Zeichen ein.
mod-settings-description = Beschreibung
mod-settings-markdown-hint = Markdown, höchstens { $n } Bytes.
mod-settings-guidelines = Regeln
mod-settings-guidelines-hint = Markdown, höchstens { $n } Bytes. Vor dem ersten Beitrag bestätigt man „Ich habe die Richtlinien gelesen“.
mod-settings-text-long = Der Text ist zu lang: höchstens { $n } Bytes.
mod-settings-save-profile = Profil speichern
mod-settings-newcomers = Neue Mitglieder und Fragen
mod-settings-welcome = Willkommensnachricht
mod-settings-welcome-hint = Markdown, höchstens { $n } Bytes; leer lassen für keine. Wird bei der ersten Frage hier gezeigt und einmal geschickt, beim ersten Beitrag oder beim Folgen: Konten hier erhalten eine Benachrichtigung, Follower auf anderen Servern eine Direktnachricht.
mod-settings-who-may-ask = Wer Fragen stellen darf
mod-settings-who-may-ask-hint = Antworten und Kommentare bleiben allen offen, die in der Gruppe schreiben dürfen.
mod-settings-ask-everyone = Alle
mod-settings-ask-everyone-hint = Alle, die nicht aus der Gruppe gesperrt sind, hier oder auf einem anderen Server.
mod-settings-ask-followers = Follower
mod-settings-ask-followers-hint = Wer der Gruppe folgt, hier oder auf einem anderen Server, und ihre Moderatoren.
mod-settings-ask-members = Nur Mitglieder
mod-settings-ask-members-hint = Konten auf diesem Server und die Moderatoren der Gruppe.
mod-settings-ask-choose = Wähle, wer fragen darf.
mod-settings-save-newcomers = Willkommen und Regel speichern
mod-settings-personal-data = Persönliche Daten
mod-settings-patterns = Muster persönlicher Daten
mod-settings-patterns-hint = Außer vor E-Mail-Adressen, Telefon- und Kartennummern werden Schreibende vor diesen gewarnt, bevor sie posten: eines je Zeile, ein Name, ein Doppelpunkt und ein regulärer Ausdruck (z. B. bestellung: ORD-[0-9]+); höchstens { $n }.
mod-settings-patterns-bad = Zeile { $n } ist kein Name mit Doppelpunkt und gültigem regulärem Ausdruck (oder zu komplex, oder passt auf leeren Text).
mod-settings-patterns-many = Höchstens { $n } Muster.
mod-settings-save-personal-data = Muster speichern
mod-settings-saved-personal_data = Die Muster persönlicher Daten wurden gespeichert.
mod-settings-organisations = Anerkannte Organisationen
mod-settings-organisations-legend = Organisationen, deren bestätigte Mitarbeitende diese Gruppe anerkennt
mod-settings-organisations-none = Auf diesem Server sind noch keine Organisationen eingetragen; das machen die Admins.
mod-settings-save-organisations = Organisationen speichern
mod-settings-privileges = Schwellen der Privilegien
mod-settings-privileges-hint = Die Reputation in dieser Gruppe, die jedes Privileg braucht: eine ganze Zahl von 0 bis { $n }.
mod-settings-privilege-edit-tags = Schlagwörter bearbeiten
mod-settings-privilege-close-duplicates = Duplikate schließen
mod-settings-threshold-range = Gib eine ganze Zahl von 0 bis { $n } ein.
mod-settings-save-privileges = Schwellen speichern
profile-moderate = Moderation
profile-ban-in = Aus { $value } sperren
profile-banned = Aus dieser Gruppe gesperrt.
moderate-ban-user = Sperren
nav-admin = Verwaltung
admin-fed-title = Zustand der Föderation
admin-fed-queues = Warteschlangen
admin-fed-known = Bekannte Instanzen
admin-fed-pending-total = Wartende Zustellungen
admin-fed-failed-total = Gescheiterte Zustellungen
admin-fed-inbound = Wartende empfangene Aktivitäten
admin-fed-mode-open = Föderationsmodus: offen (jede Instanz, die nicht blockiert ist).
admin-fed-mode-allowlist = Föderationsmodus: Positivliste (nur erlaubte Instanzen, die nicht blockiert sind).
admin-fed-set-title = Regel für eine Instanz festlegen
admin-fed-domain = Domain der Instanz
admin-fed-domain-hint = Ein Hostname, mit Port, falls er einen hat, z. B. other.example.net
admin-fed-policy = Regel
admin-fed-reason = Begründung
admin-fed-reason-hint = Erscheint im öffentlichen Moderationsprotokoll der Instanz.
admin-fed-set-block = Blockieren: in beide Richtungen abweisen und Inhalte verbergen
admin-fed-set-silence = Stummschalten: weiter föderieren, Inhalte aber nicht weitergeben
admin-fed-set-allow = Erlauben (Positivliste)
admin-fed-set-clear = Regel aufheben
admin-fed-set-submit = Regel festlegen
admin-fed-instances = Bekannte Instanzen
admin-fed-search = Nach Domain suchen
admin-fed-search-submit = Suchen
admin-fed-none = Keine Instanz passt.
admin-fed-col-instance = Instanz
admin-fed-col-policy = Regel
admin-fed-col-contact = Letzter erfolgreicher Kontakt (UTC)
admin-fed-col-failures = Fehler in Folge
admin-fed-col-backoff = Pausiert bis (UTC)
admin-fed-col-pending = Wartend
admin-fed-col-failed = Gescheitert
admin-fed-col-delivered = Zugestellt
admin-fed-col-actions = Aktionen
admin-fed-never = Nie
admin-fed-no-backoff = Keine Pause
admin-fed-policy-block = Blockiert
admin-fed-policy-silence = Stummgeschaltet
admin-fed-policy-allow = Erlaubt
admin-fed-policy-none = Keine
admin-fed-block = Blockieren
admin-fed-silence = Stummschalten
admin-fed-allow = Erlauben
admin-fed-clear = Aufheben
admin-fed-retry = Jetzt erneut senden
admin-fed-block-label = { $value } blockieren
admin-fed-silence-label = { $value } stummschalten
admin-fed-allow-label = { $value } erlauben
admin-fed-clear-label = Regel für { $value } aufheben
admin-fed-retry-label = Wartende Zustellungen an { $value } jetzt senden
admin-fed-done-policy = Die Regel für { $value } wurde gespeichert.
admin-fed-done-retry = Die wartenden Zustellungen an { $value } sind jetzt fällig.
admin-fed-error-policy = Wählen Sie eine Regel.
admin-fed-error-domain = Geben Sie die Domain der Instanz ein.
admin-fed-error-not-remote = „{ $value }“ ist nicht die Domain einer anderen Instanz.
admin-fed-error-reason-long = Die Begründung hat höchstens { $n } Zeichen.

## The admin console: the instance
admin-inst-title = Instanz
admin-inst-settings = Einstellungen
admin-inst-as-configured = Alle Einstellungen sind wie konfiguriert (Kommandozeilen-Optionen oder PEERDESK_*-Variablen).
admin-inst-set-here = Hier gesetzt (zuletzt gespeichert { $value } UTC); gespeicherte Einstellungen gehen der Konfiguration vor.
admin-inst-configured = Konfiguriert: { $value }
admin-inst-name = Name der Seite
admin-inst-description = Beschreibung
admin-inst-description-hint = Markdown, auf der Startseite und in NodeInfo; höchstens { $n } Bytes.
admin-inst-registrations = Registrierung
admin-inst-reg-open = Offen: jede Person kann sich registrieren
admin-inst-reg-closed = Geschlossen: niemand kann sich registrieren
admin-inst-reg-invite = Mit Einladung: mit einem Code von der Verwaltung
admin-inst-group-creation = Wer Gruppen anlegen darf
admin-inst-groups-anyone = Jedes Konto
admin-inst-groups-granted = Verwaltung und berechtigte Konten
admin-inst-mode = Föderationsmodus
admin-inst-mode-blocklist = Offen: jede nicht gesperrte Instanz
admin-inst-mode-allowlist = Allowlist: nur zugelassene Instanzen
admin-inst-limits = Ratenbegrenzung
admin-inst-rate-limits = Beiträge, Stimmen und Meldungen begrenzen (pro Konto und pro Instanz)
admin-inst-hide-personal-data = Erkannte persönliche Daten in Beiträgen anderer Server auf öffentlichen Seiten verbergen
admin-inst-hide-personal-data-hint = E-Mail-Adressen, Telefon- und Kartennummern werden für Besucher und Mitglieder maskiert (••••@example.com); Admins und die Moderatoren der Gruppe sehen sie. Gespeichert bleibt alles unverändert.
admin-inst-limits-hint = Pro entfernter Instanz und Minute; 0 heißt unbegrenzt; höchstens { $n }.
admin-inst-post-limit = Beiträge einer Instanz
admin-inst-vote-limit = Stimmen einer Instanz
admin-inst-report-limit = Meldungen einer Instanz
admin-inst-save = Einstellungen speichern
admin-inst-reset = Zurück zur Konfiguration
admin-inst-done-settings = Die Einstellungen wurden gespeichert und gelten jetzt.
admin-inst-done-reset = Alle Einstellungen sind wieder wie konfiguriert.
admin-inst-error-name = Gib den Namen der Seite ein.
admin-inst-error-name-long = Der Name ist höchstens { $n } Zeichen lang.
admin-inst-error-description-long = Die Beschreibung ist höchstens { $n } Bytes lang.
admin-inst-error-choice = Wähle eine der Möglichkeiten.
admin-inst-error-limit = Gib eine ganze Zahl von 0 bis { $n } ein.
admin-inst-invitations = Einladungen
admin-inst-invitations-hint = Solange die Registrierung nur mit Einladung möglich ist, braucht jedes neue Konto den Code einer Einladung. Der Link wird nur einmal gezeigt, beim Anlegen.
admin-inst-invite-link = Der Link der Einladung (nur jetzt sichtbar)
admin-inst-invite-note = Notiz (für wen)
admin-inst-invite-uses = Wie viele Konten sie registrieren kann
admin-inst-invite-days = Läuft ab nach (Tagen)
admin-inst-invite-days-hint = 1 bis 365; leer: nie.
admin-inst-invite-submit = Einladung anlegen
admin-inst-invite-used = Benutzt
admin-inst-invite-expires = Läuft ab
admin-inst-invite-state = Zustand
admin-inst-invite-never = Nie
admin-inst-invite-active = Gültig
admin-inst-invite-used-up = Aufgebraucht
admin-inst-invite-expired = Abgelaufen
admin-inst-invite-revoked = Widerrufen
admin-inst-invite-revoke = Widerrufen
admin-inst-done-invite = Die Einladung wurde angelegt: kopiere jetzt ihren Link.
admin-inst-done-revoked = Die Einladung wurde widerrufen.
admin-inst-error-uses = Gib eine ganze Zahl von 1 bis 1000 ein.
admin-inst-error-days = Gib eine ganze Zahl von Tagen von 1 bis 365 ein, oder lass das Feld leer.
admin-inst-error-note-long = Die Notiz ist höchstens { $n } Zeichen lang.
admin-inst-groups = Gruppen
admin-inst-group = Gruppe
admin-inst-group-questions = Fragen
admin-inst-group-moderators = Moderation
admin-inst-hand-over = Übergeben
admin-inst-hand-over-to = An das Konto
admin-inst-hand-over-replace = und die bisherige Moderation entfernen
admin-inst-new-group = Gruppe anlegen
admin-inst-group-name = Name (in der Adresse der Gruppe)
admin-inst-group-title = Titel
admin-inst-group-description = Beschreibung (Markdown)
admin-inst-group-create = Gruppe anlegen
admin-inst-done-created = Die Gruppe { $value } wurde angelegt; du moderierst sie als Erste*r.
admin-inst-done-handed = Die Gruppe { $value } wurde übergeben.
admin-inst-error-group-name = Namen haben 2 bis 40 Zeichen: a-z, 0-9, _ und -.
admin-inst-error-group-taken = Dieser Name ist vergeben.
admin-inst-error-group-title = Gib den Titel der Gruppe ein.
admin-inst-error-to = Auf dieser Instanz gibt es kein Konto mit diesem Namen.
admin-group-delete-link = { $value } löschen…
admin-group-delete-title = Die Gruppe { $value } löschen
admin-group-delete-warning = { $n ->
    [one] Die eine Frage der Gruppe wird mit ihren Antworten und Kommentaren entfernt.
   *[other] Die { $n } Fragen der Gruppe werden mit ihren Antworten und Kommentaren entfernt.
}
admin-group-delete-what-federated = Ein Delete der Gruppe geht an die bekannten Server; ihre Follower folgen ihr nicht mehr.
admin-group-delete-what-name = Die Seiten der Gruppe sagen, dass sie gelöscht wurde, und ihr Name bleibt vergeben.
admin-group-delete-what-undo = Das lässt sich nicht rückgängig machen.
admin-group-delete-confirm = Gib zur Bestätigung den Namen der Gruppe ({ $value }) ein
admin-group-delete-submit = { $value } löschen
admin-group-delete-error-confirm = Gib { $value } zur Bestätigung ein.
admin-inst-done-deleted = Die Gruppe { $value } wurde gelöscht.
modlog-action-delete_group = Gruppe gelöscht

## Support-Kennzahlen (/staff/metrics, /g/NAME/mod/metrics)
metrics-tab = Kennzahlen
metrics-tabs-label = Konsole
metrics-group-title = Kennzahlen von { $value }
metrics-staff-title = Support-Kennzahlen von { $value }
metrics-intro = Im Zeitraum gestellte Fragen und wie sie beantwortet wurden. Die Zeiten laufen von der Frage bis zu ihrer ersten noch vorhandenen Antwort und bis zur Annahme ihrer Antwort.
metrics-staff-intro = Die Gruppen, die Ihre Organisation anerkennen, zusammen: { $value }
metrics-period = Zeitraum
metrics-preset = { $n ->
    [one] Letzter Tag
   *[other] Letzte { $n } Tage
}
metrics-from = Von
metrics-to = Bis (einschließlich)
metrics-apply = Anzeigen
metrics-csv = Diese Zahlen herunterladen (CSV)
metrics-none = keine
metrics-minutes = { $n ->
    [one] 1 Minute
   *[other] { $n } Minuten
}
metrics-hours = { $hours } Std. { $minutes } Min.
metrics-days = { $days } T. { $hours } Std.
metrics-questions = Gestellte Fragen
metrics-answered = Beantwortet
metrics-answered_percent = Anteil beantwortet
metrics-median_first_answer_secs = Median der Zeit bis zur ersten Antwort
metrics-p90_first_answer_secs = 90. Perzentil der Zeit bis zur ersten Antwort
metrics-accepted = Mit angenommener Antwort
metrics-median_accepted_secs = Median der Zeit bis zur angenommenen Antwort
metrics-p90_accepted_secs = 90. Perzentil der Zeit bis zur angenommenen Antwort
metrics-resolution_percent = Lösungsquote
metrics-answers = Antworten im Zeitraum
metrics-staff_answers = Antworten von Mitarbeitenden
metrics-staff_percent = Anteil der Mitarbeitenden an den Antworten
metrics-staff-reference = Marken-Communities: meist 5–30 %.
metrics-unanswered_backlog = Unbeantwortet am Ende des Zeitraums
metrics-escalations = Durch Regeln eskalierte Fragen
metrics-cases_opened = Eröffnete Fälle
metrics-cases_resolved = Davon gelöst oder geschlossen
metrics-case_resolution_percent = Gelöste oder geschlossene Fälle
metrics-suggestions_opened = Frageformulare, die einen Vorschlag öffneten
metrics-deflected = Davon ohne Frage (Selbsthilfe)
metrics-deflection_percent = Selbsthilfequote
metrics-search_clicks = Geöffnete Suchergebnisse
metrics-search_deflected = Davon ohne neue Frage innerhalb eines Tages
metrics-search_deflection_percent = Durch die Suche abgewendet
metrics-chart-questions = Fragen pro Woche
metrics-chart-first = Median der Zeit bis zur ersten Antwort pro Woche
metrics-chart-desc = Balkendiagramm; die Tabelle darunter enthält dieselben Werte.
metrics-unit-questions = Fragen
metrics-unit-hours = Stunden
metrics-table-caption = Pro Woche: gestellte Fragen und der Median der Zeit bis zu ihrer ersten Antwort
metrics-week = Woche ab
mod-more-reasons = { $n ->
    [one] und eine weitere Meldung
   *[other] und { $n } weitere Meldungen
}

## Personal data in the ask and answer forms
personal-data-title = Das scheint persönliche Daten zu enthalten
personal-data-intro = Fragen und Antworten sind öffentlich und werden an andere Server gesendet. Gefunden haben wir:
personal-data-move-hint = In einen privaten Fall verschieben: Es wird aus dem öffentlichen Text genommen, dort steht stattdessen „[moved to a private case]“, und nur du und das Team der Gruppe sehen es.
personal-data-remove-hint = Entfernen: Es wird aus deinem Text geschnitten, damit du ihn vor dem Posten prüfen kannst; oder bearbeite den Text selbst.
personal-data-move = In einen privaten Fall verschieben
personal-data-remove = Entfernen
personal-data-post = Trotzdem posten
personal-data-field-title = Titel
personal-data-field-body = Text
personal-data-kind-email = E-Mail-Adresse
personal-data-kind-phone = Telefonnummer
personal-data-kind-card = Kartennummer
