# Die Wissensdatenbank (Deutsch).

kb-article-badge = Artikel
kb-article-summary = Artikel
kb-articles = Wissensartikel
kb-list-title = Wissensdatenbank von { $value }
kb-back-to-group = Zurück zur Gruppe
kb-back-to-article = Zurück zum Artikel
kb-all-articles = Alle Artikel der Gruppe
kb-search-label = Artikel durchsuchen
kb-search-none = Kein Artikel passt zu diesen Wörtern.
kb-none = Diese Gruppe hat noch keine Wissensartikel.
kb-stale = Prüfung fällig
kb-stale-heading = Zu prüfende Artikel
kb-retired = Zurückgezogen
kb-last-reviewed = zuletzt geprüft am { $value }
kb-written-by = Geschrieben von
kb-source-thread = Der Thread, aus dem er entstand
kb-history-link = { $n ->
    [0] Keine früheren Fassungen
    [one] Verlauf (1 frühere Fassung)
   *[other] Verlauf ({ $n } frühere Fassungen)
}
kb-history-title = Verlauf von „{ $value }“
kb-edit = Bearbeiten
kb-mark-reviewed = Als geprüft markieren
kb-retire = Zurückziehen
kb-turn-into-article = In einen Artikel umwandeln
kb-new-title = Neuer Wissensartikel
kb-edit-title = Artikel bearbeiten
kb-save = Artikel speichern
kb-error-title = Der Titel braucht { $min } bis { $max } Zeichen.
kb-error-body = Schreiben Sie den Artikel (höchstens { $n } Bytes).
kb-error-tags = Höchstens { $n } Schlagwörter.
kb-error-forbidden = Nur die Moderatoren der Gruppe und das von ihr anerkannte Personal können ihre Artikel schreiben, aus einem gelösten Thread.
kb-error-rate = Zu viele Änderungen in kurzer Zeit. Bitte warten Sie einen Moment und versuchen Sie es erneut.
kb-error-retired = Dieser Artikel wurde zurückgezogen.
kb-error-failed = Der Artikel konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.
