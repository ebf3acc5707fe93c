# Die Personen-Seiten der Verwaltung (/admin/people): lokale Konten, entfernte Konten,
# Organisationen und Mitarbeitende.
admin-nav-label = Verwaltung
admin-people-title = Personen
admin-people-tabs-label = Personen
admin-people-tab-local = Lokale Konten
admin-people-tab-remote = Entfernte Konten
admin-people-tab-staff = Organisationen und Mitarbeitende
admin-people-local = Lokale Konten
admin-people-search = Nach Name oder Anzeigename suchen
admin-people-none = Kein Konto passt.
admin-people-local-caption = { $n ->
    [one] Ein lokales Konto
   *[other] { $n } lokale Konten
}
admin-people-col-user = Konto
admin-people-col-display = Anzeigename
admin-people-col-roles = Rollen
admin-people-col-org = Organisation
admin-people-col-state = Zustand
admin-people-col-joined = Beigetreten
admin-people-col-posts = Beiträge hier
admin-people-manage = Verwalten
admin-people-manage-label = { $value } verwalten
admin-people-role-admin = Admin
admin-people-role-staff = Mitarbeiter
admin-people-role-groups = Darf Gruppen anlegen
admin-people-state-active = Aktiv
admin-people-state-suspended = Gesperrt
admin-people-state-deleted = Gelöscht
admin-person-title = { $value } verwalten
admin-person-about = Konto
admin-person-handle = Handle
admin-person-suspended-since = Gesperrt seit { $value }.
admin-person-suspended-reason = Begründung: { $value }
admin-person-deleted = Dieses Konto wurde gelöscht. Sein Name bleibt vergeben.
admin-person-roles = Rollen
admin-person-roles-legend = Rollen von { $value }
admin-person-roles-submit = Rollen speichern
admin-person-suspension = Sperre
admin-person-self-note = Das ist Ihr eigenes Konto: Sie können es hier weder sperren noch löschen.
admin-person-suspend-hint = Ein gesperrtes Konto kann sich nicht anmelden, seine Sitzungen und API-Tokens enden sofort, und sein Profil zeigt die Sperre. Seine Beiträge bleiben.
admin-person-unsuspend-hint = Das Konto ist gesperrt. Wird die Sperre aufgehoben, kann es sich wieder anmelden.
admin-person-reason-optional = Begründung (freiwillig)
admin-person-suspend = Sperren
admin-person-unsuspend = Sperre aufheben
admin-person-org = Organisation
admin-person-delete = Konto löschen
admin-person-delete-hint = Löscht das Konto mit seinen Beiträgen, hier und auf den Servern, die es kennen. Das lässt sich nicht rückgängig machen.
admin-person-delete-link = { $value } löschen …
admin-person-done-roles = Die Rollen von { $value } wurden gespeichert.
admin-person-done-suspend = { $value } ist gesperrt.
admin-person-done-unsuspend = Die Sperre von { $value } wurde aufgehoben.
admin-person-done-organisation = Die Organisation von { $value } wurde gespeichert.
admin-person-done-deleted = Das Konto { $value } wurde gelöscht.
admin-person-error-self-admin = Sie können sich die Admin-Rolle nicht selbst entziehen.
admin-person-error-self-suspend = Sie können Ihr eigenes Konto nicht sperren.
admin-person-error-reason = Geben Sie eine Begründung an.
admin-person-error-reason-long = Die Begründung hat höchstens { $n } Bytes.
admin-delete-title = Konto { $value } löschen
admin-delete-warning = { $n ->
    [one] Sein einer Beitrag wird gelöscht, und das Konto mit ihm.
   *[other] Seine { $n } Beiträge werden gelöscht, und das Konto mit ihnen.
}
admin-delete-what-federated = Die Löschungen gehen an die Server, die seinen Gruppen folgen, und die Löschung des Kontos an jeden Server, den diese Instanz kennt.
admin-delete-what-name = Seine Sitzungen enden. Der Name bleibt vergeben: Niemand kann ihn neu registrieren.
admin-delete-what-undo = Das lässt sich nicht rückgängig machen.
admin-delete-confirm = Geben Sie zur Bestätigung { $value } ein
admin-delete-submit = { $value } und die Beiträge löschen
admin-delete-error-confirm = Geben Sie zur Bestätigung der Löschung { $value } ein.
admin-delete-error-self = Sie können Ihr eigenes Konto nicht löschen.
admin-remote-title = Entfernte Konten
admin-remote-hint = Konten anderer Server, deren Beiträge, Stimmen oder Abonnements hier ankamen.
admin-remote-search = Nach Handle oder Instanz suchen
admin-remote-none = Kein entferntes Konto passt.
admin-remote-caption = { $n ->
    [one] Ein entferntes Konto
   *[other] { $n } entfernte Konten
}
admin-remote-col-handle = Konto
admin-remote-col-first-seen = Zuerst gesehen
admin-remote-purge = Bereinigen
admin-remote-purge-label = Die Beiträge von { $value } entfernen
admin-remote-done-purge = { $n ->
    [one] Ein Beitrag von { $value } wurde entfernt.
   *[other] { $n } Beiträge von { $value } wurden entfernt.
}
admin-purge-title = { $value } bereinigen
admin-purge-warning = { $n ->
    [one] Sein hier gespeicherter Beitrag wird entfernt, in jeder Gruppe.
   *[other] Seine { $n } hier gespeicherten Beiträge werden entfernt, in jeder Gruppe.
}
admin-purge-local = Die Bereinigung gilt nur hier: Sie wird nicht an andere Server gesendet. Moderatoren können entfernte Beiträge wiederherstellen.
admin-purge-confirm = Jeden hier gespeicherten Beitrag von { $value } entfernen
admin-purge-error-confirm = Kreuzen Sie das Feld an, um die Bereinigung zu bestätigen.
admin-staff-title = Organisationen und Mitarbeitende
admin-staff-orgs = Organisationen
admin-staff-orgs-none = Noch keine Organisation ist angelegt.
admin-staff-orgs-caption = Hier angelegte Organisationen und ihre Mitarbeitenden
admin-staff-col-org = Organisation
admin-staff-col-domain = Domain
admin-staff-col-staff = Mitarbeitende hier
admin-staff-col-list = Zu veröffentlichende Liste
admin-staff-no-staff = Noch niemand
admin-staff-declare = Organisation anlegen
admin-staff-name = Name
admin-staff-domain = Die eigene Domain der Organisation
admin-staff-domain-hint = Ein Hostname wie acme.example. Dort muss die Liste der Mitarbeitenden unter /.well-known/peerdesk-staff stehen.
admin-staff-declare-submit = Organisation anlegen
admin-staff-assign = Ein Konto einer Organisation zuordnen
admin-staff-user = Name des lokalen Kontos
admin-staff-organisation = Organisation
admin-staff-none = Keine (nicht Mitarbeiter)
admin-staff-assign-hint = Mitarbeitende einer Organisation erhalten auch die Mitarbeiter-Rolle; „Keine“ entzieht sie.
admin-staff-assign-submit = Organisation speichern
admin-staff-claims = Angaben entfernter Mitarbeitender
admin-staff-claims-hint = Konten anderer Server, die angeben, für eine Organisation zu arbeiten, und was die Domain der Organisation bei der letzten (täglichen) Prüfung sagte.
admin-staff-claims-none = Kein entferntes Konto gibt an, Mitarbeiter zu sein.
admin-staff-claims-caption = Angaben entfernter Mitarbeitender und ihre Prüfung
admin-staff-col-check = Prüfung
admin-staff-col-reason = Begründung
admin-staff-col-checked = Geprüft (UTC)
admin-staff-claim-verified = Bestätigt
admin-staff-claim-refused = Nicht bestätigt
admin-staff-claim-unchecked = Noch nicht geprüft
admin-staff-done-declared = Die Organisation { $value } wurde angelegt.
admin-staff-done-assigned = Die Organisation von { $value } wurde gespeichert.
admin-staff-error-name = Geben Sie den Namen der Organisation an, höchstens { $n } Bytes.
admin-staff-error-domain = Geben Sie die Domain der Organisation an, z. B. acme.example (ohne / oder @).
admin-staff-error-org = Wählen Sie eine der Organisationen.
admin-staff-error-user = Geben Sie den Namen eines lokalen Kontos ein.
admin-staff-error-no-user = Es gibt kein lokales Konto namens { $value }.
admin-staff-error-deleted = Das Konto { $value } wurde gelöscht.
modlog-action-suspend = Konto gesperrt
modlog-action-unsuspend = Sperre aufgehoben
modlog-action-delete-account = Konto gelöscht
profile-suspended = Dieses Konto ist von den Admins dieser Instanz gesperrt.
signin-suspended = Dieses Konto ist gesperrt. Wenden Sie sich an die Admins dieser Instanz.
