# Das einbettbare Hilfe-Widget und seine Einstellungen (Deutsch).

widget-title = Hilfe: { $value }
widget-missing = Dieses Hilfe-Widget ist nicht verfügbar.
widget-search-label = Die Community durchsuchen
widget-search = Suchen
widget-results = Ergebnisse für „{ $value }“
widget-none = Noch passt nichts zu diesen Wörtern. Frag unten die Community.
widget-suggested = Empfohlene Artikel und gelöste Fragen
widget-suggested-topic = Empfohlen zu „{ $value }“
widget-article = Artikel
widget-solved = Gelöst
widget-answers = { $n ->
    [one] 1 Antwort
   *[other] { $n } Antworten
}
widget-new-tab = öffnet in einem neuen Tab
widget-ask-heading = Die Community fragen
widget-ask-title = Deine Frage
widget-ask-body = Einzelheiten (optional)
widget-ask-submit = Weiter zur Frage
widget-ask-hint = Öffnet einen neuen Tab auf { $value }, wo du dich anmeldest oder ein Konto anlegst.
widget-fediverse = Du hast ein Fediverse-Konto? Folge { $value } und erwähne es in einem öffentlichen Beitrag, um zu fragen.
widget-fediverse-link = Als Fediverse-Nutzer weiter
widget-all = Alle Fragen auf { $value }
widget-settings-title = Hilfe-Widget von { $value }
widget-settings-intro = Füge dieses Snippet in deine Produkt- oder Dokumentationsseiten ein. Es zeigt eine Suche der Community, empfohlene Artikel und gelöste Fragen zum Thema der Seite und ein Frageformular.
widget-settings-snippet = Snippet
widget-settings-iframe = Ohne Skripte, als Frame
widget-settings-origins = Websites, die das Widget einbetten dürfen
widget-settings-origins-hint = Ein Origin pro Zeile, etwa https://docs.example.com. Leer lassen, um jede Website zu erlauben.
widget-settings-save = Speichern
widget-settings-saved = Gespeichert.
widget-settings-invalid = Jede Zeile muss ein Origin wie https://docs.example.com sein (höchstens 20).
widget-settings-link = Hilfe-Widget
widget-settings-preview = Vorschau
