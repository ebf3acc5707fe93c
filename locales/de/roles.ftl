# Community-Rollen von Gruppen (Deutsch).

roles-tab = Rollen
roles-title = Community-Rollen von { $value }
roles-intro = Rollen geben vertrauten Mitgliedern einen Titel neben ihrem Namen in dieser Gruppe und die Rechte, die du wählst.
roles-heading = Rollen
roles-none = Die Gruppe hat noch keine Rollen.
roles-title-only = Nur ein Titel
roles-no-holders = Noch niemand hat diese Rolle.
roles-unassign = Entziehen
roles-unassign-label = { $who } die Rolle { $title } entziehen
roles-delete = Rolle löschen
roles-delete-label = Die Rolle { $value } löschen
roles-assign-heading = Eine Rolle vergeben
roles-suggestions = Die aktivsten Mitglieder der Gruppe, nach der hier verdienten Reputation:
roles-score = { $n ->
    [one] 1 Punkt
   *[other] { $n } Punkte
}
roles-role = Rolle
roles-handle = Person
roles-assign = Rolle vergeben
roles-new-heading = Neue Rolle
roles-name = Name
roles-name-hint = Wird neben dem Namen gezeigt, etwa Botschafterin oder Kurator (höchstens 40 Zeichen).
roles-privileges = Rechte
roles-privilege-lock = Fragen sperren und entsperren
roles-privilege-feature = Fragen hervorheben
roles-privilege-see-removed = Entfernte Beiträge lesen
roles-create = Rolle anlegen
roles-error-taken = Die Gruppe hat schon eine Rolle dieses Namens.
roles-error-unknown = Diese Rolle oder Person gibt es nicht.
roles-error-name = Der Name einer Rolle hat 1 bis 40 Zeichen reinen Text.
roles-error-handle = Gib einen Namen von hier oder ein Handle wie name@example.social ein.
role-in-group = { $title } in { $value }
