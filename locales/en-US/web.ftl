# The web app's messages (English, the fallback).

## Layout
skip-to-content = Skip to content
search-label = Search questions and answers
search-placeholder = Search…
search-button = Search
nav-account = Account
nav-signin = Sign in
nav-signup = Sign up
nav-signout = Sign out
nav-password = Change password
footer-powered = A peerdesk support community, federated with the fediverse
footer-api = API

## Home
home-title = Support communities
home-intro = Ask questions, find answers, and follow these groups from any fediverse server.
home-search-label = Search all groups
home-groups = Groups
home-no-groups = There are no groups here yet.
group-question-count = { $n ->
    [one] one question
   *[other] { $n } questions
}
group-last-active = last active { $value }

## Group
copy-handle = Copy handle
copy-done = Copied
group-followers = { $n ->
    [one] one follower
   *[other] { $n } followers
}
group-guidelines = Guidelines
group-follow-hint = Follow @{ $value } from any fediverse account to ask and answer.
group-questions = Questions
sort-label = Sort questions
sort-new = New
sort-active = Active
sort-top = Top
sort-unanswered = Unanswered
sort-solved = Solved
filter-tag = Tagged “{ $value }”.
filter-clear = Show all tags
tags-label = Tags
questions-none = No questions here yet.
question-votes = { $n ->
    [one] 1 vote
   *[other] { $n } votes
}
question-answers = { $n ->
    [one] 1 answer
   *[other] { $n } answers
}
question-solved = Solved
asked-by = Asked by
answered-by = Answered by
in-group = in
pager-label = Pages
pager-prev = Previous page
pager-next = Next page
pager-page = Page { $n }

## Thread
state-locked = Locked
state-removed = Removed
state-deleted = Deleted
post-edited = edited
thread-answer-count = { $n ->
    [0] No answers yet
    [one] 1 answer
   *[other] { $n } answers
}
thread-accepted = Accepted answer
thread-answer = Answer
thread-no-answers = Nobody has answered yet.
thread-comments = Comments
thread-deleted = This post was deleted by its author.
thread-removed = This post was removed by a moderator.
thread-deleted-title = Deleted question
thread-removed-title = Removed question
thread-locked-notice = This thread is locked: it takes no new answers or comments.
score-label = { $n ->
    [one] vote
    [-1] vote
   *[other] votes
}
staff-verified = Staff · { $value }
staff-verified-title = Verified staff of { $value }
staff-unverified = Claims to be staff of { $value } (not verified)
staff-unverified-title = The organisation's domain does not confirm this claim.

## Search
search-title = Search
search-title-for = Search: { $value }
search-filters = Search filters
search-group = Group
search-all-groups = All groups
search-status = State
search-status-any = Any
search-tag = Tag
search-result-count = { $n ->
    [one] 1 result
   *[other] { $n } results
}
search-none = Nothing matches. Try other words or fewer filters.
search-answer-to = Answer to:

## Profile
profile-admin = Admin
profile-since = Member since { $value }
profile-reputation = Reputation: { $n }
profile-breakdown = How the reputation is made up
profile-no-reputation = No reputation yet.
profile-rep-what = Event
profile-rep-points = Points
profile-rep-note = Note
profile-rep-date = Date
profile-badges = Badges
profile-no-badges = No badges yet.
profile-questions = Questions
profile-answers = Answers
profile-no-answers = No answers yet.
rep-vote-answer = Vote on an answer
rep-vote-question = Vote on a question
rep-accepted = Answer accepted
rep-removed = Post removed by a moderator
rep-report-upheld = Report upheld
badge-first-question = First question
badge-first-answer = First answer
badge-first-accepted-answer = First accepted answer
badge-ten-accepted-answers = Ten accepted answers
badge-welcomer = Welcomer

## Accounts
field-username = User name
field-password = Password
field-current-password = Current password
field-new-password = New password
signin-title = Sign in
signin-submit = Sign in
signin-wrong = Wrong user name or password.
signin-no-account = No account yet?
signup-title = Create an account
signup-submit = Create account
signup-closed = Registrations are closed on this server.
signup-have-account = Already have an account?
signup-username-hint = 2 to 40 characters: a–z, 0–9, “_” and “-”.
signup-username-invalid = This name cannot be used: use 2 to 40 characters a–z, 0–9, “_” and “-”, not starting with “-”.
signup-username-taken = This name is taken. Choose another.
password-hint = At least { $n } characters.
password-too-short = The password is too short: use at least { $n } characters.
password-too-long = The password is too long: use at most { $n } bytes.
password-title = Change password
password-submit = Change password
password-changed = Your password was changed. Other browsers signed in to your account were signed out.
password-wrong-current = The current password is wrong.
form-too-many = Too many attempts. Wait a minute and try again.

## Errors
error-home-link = Go to the home page
csrf-title = The form could not be sent
csrf-message = The form was old or came from another site, so nothing was changed. Open the form again and send it once more.
csrf-back = Back to the form
error-not-found-title = Not found
error-not-found-message = There is no page at this address.
error-gone-title = Gone
error-gone-message = This page was deleted.
error-forbidden-title = Not allowed
error-forbidden-message = You may not see or do this.
error-unauthorized-title = Sign in first
error-unauthorized-message = Sign in to see this page.
error-too-many-title = Too many requests
error-too-many-message = Wait a minute and try again.
error-bad-request-title = Something is wrong with this request
error-bad-request-message = The request could not be understood. Check the address or the form and try again.
error-internal-title = Something went wrong
error-internal-message = Something went wrong on our side. Try again in a moment.

# outreach
remote-follow-title = Follow from your server
remote-follow-page-title = Follow @{ $value } from your server
remote-follow-label = Your fediverse handle
remote-follow-submit = Follow
remote-follow-back = Back to the page
remote-follow-paste = Or search for @{ $value } on your server and follow it there.
remote-follow-bad-handle = Type your handle as @name@your.server, for example @me@mastodon.example.
remote-follow-unknown = Your server does not know this account. Check the name and the server.
remote-follow-no-template = Your server does not offer following from another site. Search for @{ $value } on your server and follow it there.
remote-follow-unreachable = Your server did not answer. Try again later, or search for @{ $value } on your server and follow it there.
