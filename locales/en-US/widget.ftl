# The embeddable help widget and its settings page (English).

widget-title = Help: { $value }
widget-missing = This help widget is not available.
widget-search-label = Search the community
widget-search = Search
widget-results = Results for “{ $value }”
widget-none = Nothing matches these words yet. Ask the community below.
widget-suggested = Suggested articles and solved questions
widget-suggested-topic = Suggested for “{ $value }”
widget-article = Article
widget-solved = Solved
widget-answers = { $n ->
    [one] 1 answer
   *[other] { $n } answers
}
widget-new-tab = opens in a new tab
widget-ask-heading = Ask the community
widget-ask-title = Your question
widget-ask-body = Details (optional)
widget-ask-submit = Continue to ask
widget-ask-hint = Opens a new tab on { $value }, where you sign in or create an account.
widget-fediverse = Have a fediverse account? Follow { $value } and mention it in a public post to ask.
widget-fediverse-link = Continue as a fediverse user
widget-all = All questions on { $value }
widget-settings-title = Help widget of { $value }
widget-settings-intro = Put this snippet into your product or documentation pages. It shows a search of the community, suggested articles and solved questions for the page's topic, and an ask form.
widget-settings-snippet = Snippet
widget-settings-iframe = Without scripts, as a frame
widget-settings-origins = Sites that may embed the widget
widget-settings-origins-hint = One origin per line, such as https://docs.example.com. Leave empty to allow any site.
widget-settings-save = Save
widget-settings-saved = Saved.
widget-settings-invalid = Each line must be an origin such as https://docs.example.com (at most 20).
widget-settings-link = Help widget
widget-settings-preview = Preview
