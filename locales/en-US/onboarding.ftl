notification-followed_tag = New question with a tag you follow: “{ $title }” by { $who }
mail-note-followed_tag = New question with a tag you follow: “{ $value }”
settings-kind-followed_tag = A new question with a tag I follow
notification-followed_person = { $who }, whom you follow, asked “{ $title }”
mail-note-followed_person = Someone you follow asked “{ $value }”
settings-kind-followed_person = A person I follow asks a question
