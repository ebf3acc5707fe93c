notification-followed_tag = Neue Frage mit einem Schlagwort, dem du folgst: „{ $title }“ von { $who }
mail-note-followed_tag = Neue Frage mit einem Schlagwort, dem Sie folgen: „{ $value }“
settings-kind-followed_tag = Eine neue Frage mit einem Schlagwort, dem ich folge
notification-followed_person = { $who }, dem du folgst, hat „{ $title }“ gefragt
mail-note-followed_person = Jemand, dem Sie folgen, hat „{ $value }“ gefragt
settings-kind-followed_person = Eine Person, der ich folge, stellt eine Frage
