# The knowledge base (English).

kb-article-badge = Article
kb-article-summary = Article
kb-articles = Knowledge articles
kb-list-title = Knowledge base of { $value }
kb-back-to-group = Back to the group
kb-back-to-article = Back to the article
kb-all-articles = All articles of the group
kb-search-label = Search the articles
kb-search-none = No article matches these words.
kb-none = This group has no knowledge articles yet.
kb-stale = Needs a review
kb-stale-heading = Articles to review
kb-retired = Retired
kb-last-reviewed = last reviewed { $value }
kb-written-by = Written by
kb-source-thread = The thread it was written from
kb-history-link = { $n ->
    [0] No earlier versions
    [one] History (1 earlier version)
   *[other] History ({ $n } earlier versions)
}
kb-history-title = History of “{ $value }”
kb-edit = Edit
kb-mark-reviewed = Mark reviewed
kb-retire = Retire
kb-turn-into-article = Turn into an article
kb-new-title = New knowledge article
kb-edit-title = Edit the article
kb-save = Save the article
kb-error-title = The title needs { $min } to { $max } characters.
kb-error-body = Write the article (at most { $n } bytes).
kb-error-tags = At most { $n } tags.
kb-error-forbidden = Only the group's moderators and the staff it recognises can write its articles, from a solved thread.
kb-error-rate = Too many changes in a short time. Please wait a moment and try again.
kb-error-retired = This article was retired.
kb-error-failed = The article could not be saved. Please try again.
