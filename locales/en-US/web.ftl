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
group-settings-link = Group settings
group-follow = Follow this group
group-following = You follow this group.
group-unfollow = Unfollow
group-asking-followers = Only the group's followers may ask questions here; anyone may answer.
group-asking-members = Only the group's members (accounts on this server, and its moderators) may ask questions here; anyone may answer.
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
rep-staff-approved = Answer staff-approved
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
signup-invite-only = Registration on this server is by invitation. Enter the code of your invitation (an invitation link fills it in).
signup-invite = Invitation code
signup-invite-missing = Enter the code of your invitation.
signup-invite-invalid = This invitation cannot be used: it is unknown, used up, revoked or expired.
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
remote-follow-too-many = Too many look-ups from your address. Wait a minute and try again, or search for @{ $value } on your server and follow it there.
# email
email-title = Email address
email-field = Email address
email-hint = For notification emails and password resets. We send a link to confirm it; leave the field empty to remove the address.
email-current-verified = Your address { $value } is confirmed.
email-current-unverified = { $value } is not confirmed yet: open the link we sent there. Save the address again for a new link.
email-none = You have no email address yet.
email-submit = Save address
email-sent = We sent a confirmation link to your address. It works once, for 48 hours.
email-invalid = This is not a valid email address.
email-taken = This address is confirmed by another account.
email-disabled = This instance does not send email.
email-verified-title = Address confirmed
email-verified-text = Your email address is confirmed. Notification emails and password resets now go there.
email-link-failed-title = This link does not work
email-verify-failed-text = The link is invalid, was used already or has expired. Ask for a new one in your email settings.
signup-email = Email address (optional)
signup-email-hint = For notification emails and password resets; we send a link to confirm it.
signin-forgot = Forgot your password?
forgot-title = Forgot your password?
forgot-intro = Enter your user name or email address. If the account has a confirmed email address, we send it a link to choose a new password.
forgot-field = User name or email address
forgot-submit = Send the link
forgot-empty = Enter a user name or an email address.
forgot-sent = If an account with a confirmed email address matches, a link to choose a new password is on its way. It works once, for one hour.
forgot-disabled = This instance does not send email, so passwords cannot be reset by email. Ask the administrators.
reset-title = Choose a new password
reset-submit = Set the new password
reset-invalid = This link is invalid, was used already or has expired.
reset-again = Ask for a new link
unsubscribe-title = Unsubscribe
unsubscribe-confirm = Stop the emails about: { $value }?
unsubscribe-submit = Unsubscribe
unsubscribe-done = Done: these emails are turned off. You can turn them on again in your notification settings.
unsubscribe-invalid = This unsubscribe link is not valid.
mail-kind-all = all notifications
mail-kind-answer = answers to your questions
mail-kind-comment = comments on your posts
mail-kind-accepted = your accepted answers
mail-kind-mention = mentions of you
mail-kind-badge = badges you earn
mail-kind-removed = posts of yours removed by moderators
mail-kind-locked = questions of yours locked by moderators
mail-kind-report_resolved = the outcome of your reports
mail-verify-subject = Confirm your email address on { $value }
mail-verify-body = Open this link to confirm that this address belongs to your account on { $value }. It works once, for 48 hours:
mail-verify-action = Confirm the address
mail-reset-subject = Choose a new password on { $value }
mail-reset-body = Someone, hopefully you, asked for a new password for the account { $value }. Open this link within one hour to choose one:
mail-reset-action = Choose a new password
mail-ignore = If you did not ask for this, ignore this email: nothing changes.
mail-notification-intro = News for you on { $value }:
mail-digest-subject = Your daily summary from { $value }
mail-digest-intro = { $n ->
    [one] One notification since the last summary:
   *[other] { $n } notifications since the last summary:
}
mail-open = Open
mail-unsubscribe-kind = Stop these emails
mail-unsubscribe-all = Stop all notification emails
mail-settings = Email settings
mail-note-by = (by { $value })
mail-note-answer = New answer to your question “{ $value }”
mail-note-comment = New comment in “{ $value }”
mail-note-accepted = Your answer was accepted in “{ $value }”
mail-note-mention = You were mentioned in “{ $value }”
mail-note-badge = You earned the badge “{ $value }”
mail-note-removed = A moderator removed your post in “{ $value }”
mail-note-locked = A moderator locked your question “{ $value }”
mail-note-report_resolved = Your report about “{ $value }” was handled
mail-note-welcome = Welcome to “{ $value }”
# thread
vote-up = Useful (vote up)
vote-down = Not useful (vote down)
thread-accept = Accept this answer
thread-unaccept = Clear the accepted answer
thread-accept-refused = Only the asker, the group's moderators and staff can accept an answer.
thread-accept-not-answer = Only a shown answer to this question can be accepted.
thread-too-many = You are doing this too often. Wait a minute and try again; your text is kept.
thread-post-gone = This post was deleted, so it takes no more replies or votes.
thread-banned = You are banned from this group and cannot post or vote in it.
thread-text-empty = Write some text first.
thread-text-too-long = The text is too long: at most { $n } bytes.
post-edit = Edit
post-delete = Delete
post-history = Edit history
post-report = Report
comment-add = Add a comment
comment-label = Your comment
comment-submit = Post comment
answer-title = Your answer
answer-label = Answer
answer-submit = Post your answer
answer-signin = Sign in to answer
markdown-hint = Markdown: **bold**, *italic*, `code`, [links](https://…), lists.
preview-button = Preview
preview-title = Preview
cancel = Cancel
back-to-thread = Back to the thread
field-title = Title
field-body = Text
field-tags = Tags
tags-hint = Separated by spaces or commas, at most 10.
edit-title = Edit post
edit-save = Save changes
edit-title-invalid = A title has 3 to 200 characters.
edit-too-many-tags = Use at most { $n } tags.
history-title = Edit history
history-current = Current version, { $value }
history-replaced = Replaced on { $value }
delete-title = Delete post
delete-warning = Delete this post? It stays in the thread as “deleted by its author”; its text is gone.
delete-question-warning = Delete this question? It and its text are gone for everyone; its answers stay in the thread.
delete-confirm = Yes, delete it
report-title = Report post
report-intro = Tell the moderators what is wrong with this post. They see your report; its author does not.
report-reason = Reason
report-reason-hint = What breaks the rules, in at most { $n } characters.
report-reason-empty = Give a reason for the report.
report-reason-too-long = The reason is too long: at most { $n } characters.
report-anonymous = Send to other servers as this server, not as me
report-anonymous-hint = Some servers only accept reports from people, so an anonymous report reaches fewer of them.
report-submit = Send report
report-sent = Thank you. The moderators got your report.
report-again = You had already reported this post; the moderators have it.
# ask, settings, notifications
nav-settings = Settings
nav-notifications = Notifications
nav-ask = Ask a question
notifications-unread-label = { $n ->
    [one] unread notification
   *[other] unread notifications
}
ask-title = Ask a question
ask-title-in = Ask in { $value }
ask-group = Group
ask-group-choose = Choose a group
ask-group-missing = Choose the group to ask in.
ask-field-title = Title
ask-title-hint = Say what happens in one sentence. Similar questions appear below as you type.
ask-title-length = The title is { $min } to { $max } characters.
ask-check-similar = Check for similar questions
ask-similar-heading = Similar questions
ask-similar-hint = One of these may already answer your question.
ask-similar-none = No similar questions found. Go ahead and ask.
ask-similar-accepted = Accepted answer
ask-field-body = Your question
ask-body-hint = Markdown: **bold**, `code`, lists and links. Say what you tried.
ask-body-empty = Describe your question.
ask-body-long = The text is too long: at most { $n } bytes.
ask-preview = Preview
ask-preview-heading = Preview
ask-field-tags = Tags
ask-tags-hint = Optional, separated by commas or spaces.
ask-tags-many = At most { $n } tags.
ask-guidelines-heading = The group's guidelines
ask-guidelines-accept = I have read the guidelines
ask-guidelines-required = Read the guidelines and tick the box: this is your first post in this group.
ask-forbidden = You may not post in this group.
ask-refused-followers = Only the followers of this group may ask questions in it. Follow the group on its page first.
ask-refused-members = Only the members of this group may ask questions in it: people with an account on this server, and its moderators.
ask-welcome-heading = Welcome to the group
ask-submit = Post your question
settings-title = Settings
settings-saved = Your settings were saved.
settings-profile = Profile
settings-display-name = Display name
settings-display-name-hint = Optional, at most { $n } characters.
settings-display-name-long = The display name is too long: at most { $n } characters.
settings-bio = About you
settings-bio-hint = Markdown, shown on your profile.
settings-bio-long = The text is too long: at most { $n } bytes.
settings-language = Language of the pages
settings-language-browser = The browser's language
settings-language-en = English
settings-language-de = Deutsch (German)
settings-email = Email notifications
settings-email-hint = You always see notifications here; choose which also come by email.
settings-email-address = Your email address: set, confirm or change it
settings-email-off = Never
settings-email-immediately = Immediately
settings-email-digest = Daily digest
settings-kind-answer = An answer to my question
settings-kind-comment = A comment on my post
settings-kind-accepted = My answer was accepted
settings-kind-mention = Someone mentioned me
settings-kind-badge = I earned a badge
settings-kind-removed = A moderator removed my post
settings-kind-locked = A moderator locked my question
settings-kind-report_resolved = The outcome of my report
settings-kind-welcome = A group welcomes me
settings-submit = Save settings
notifications-title = Notifications
notifications-none = No notifications yet.
notifications-new = New
notifications-mark-read = Mark read
notifications-mark-all = Mark all read
notifications-older = Older notifications
notifications-pages = More notifications
notification-untitled = a question
notification-someone = Someone
notification-answer = { $who } answered your question “{ $title }”
notification-comment = { $who } commented on your post in “{ $title }”
notification-accepted = Your answer to “{ $title }” was accepted
notification-mention = { $who } mentioned you in “{ $title }”
notification-badge = You earned the badge “{ $badge }”
notification-removed = A moderator removed your post in “{ $title }”
notification-locked = A moderator locked “{ $title }”
notification-report_resolved = Your report about “{ $title }” was resolved
notification-report_dismissed = Your report about “{ $title }” was dismissed
notification-welcome = Welcome to “{ $title }”

## The staff console
nav-staff = Staff inbox
staff-inbox-title = Staff inbox
staff-inbox-intro = Questions in the groups that recognise { $value }.
staff-verification-link = Verification state
staff-tabs-label = Inbox filters
staff-tab-unanswered = Unanswered
staff-tab-unaccepted = Answered, not accepted
staff-tab-mentions = Mentioning staff
staff-tab-popular = Many votes, no staff answer
staff-hours-label = Unanswered for at least (hours)
staff-votes-label = At least this many votes
staff-apply = Apply
staff-none = Nothing here right now.
staff-age-hours = { $n ->
    [one] 1 hour old
   *[other] { $n } hours old
}
staff-age-days = { $n ->
    [one] 1 day old
   *[other] { $n } days old
}
staff-asker-history = { $asked } questions asked, { $accepted } answers accepted
staff-answers = { $n ->
    [one] 1 answer
   *[other] { $n } answers
}
staff-votes = { $n ->
    [one] 1 vote
   *[other] { $n } votes
}
staff-claim = I'm on it
staff-unclaim = Release my claim
staff-release = Release the claim
staff-claimed-by = Claimed by { $value }
staff-approve = Mark staff-approved
staff-unapprove = Withdraw staff approval
staff-approved-by = Staff-approved by { $value }
staff-forbidden = This page is for staff of an organisation. Sign in with a staff account, or ask an admin of this instance to make your account staff of your organisation.
staff-refused-title = Not done
staff-claimed-by-other = Someone else has claimed this question already. Reload the inbox to see who.
staff-invalid = This cannot be done here: only a shown question can be claimed, and only someone else's shown answer can be staff-approved.
staff-verification-title = Verification state
staff-verification-org = Organisation
staff-verification-domain = Its domain
staff-verification-account = Your account
staff-verification-list = The staff list the domain publishes
staff-verification-unreadable = It could not be read: { $value }
staff-verification-listed = { $value } lists your account: other servers show you as verified staff.
staff-verification-not-listed = { $value } does not list your account, so other peerdesk servers show you as unverified staff.
staff-verification-todo = Ask whoever runs your organisation's website to publish the current staff list at /.well-known/peerdesk-staff on that domain, for example by proxying this address:
staff-verification-others = Other servers check again within about a day after the list changes.

## Moderator console
mod-link = { $n ->
    [0] Moderation
    [one] Moderation (one open report)
   *[other] Moderation ({ $n } open reports)
}
mod-reports-title = Reports in { $value }
mod-tabs-label = Moderation
mod-tab-open = Open reports
mod-tab-resolved = Resolved
mod-search-label = Search resolved reports
mod-no-open = There are no open reports.
mod-no-closed = No resolved reports match.
mod-status-resolved = Resolved
mod-status-dismissed = Dismissed
mod-author = Author: { $value }
mod-home = home instance { $value }
mod-reputation = reputation { $n }
mod-removals = { $n ->
    [one] one earlier removal here
   *[other] { $n } earlier removals here
}
mod-bans = { $n ->
    [one] one earlier ban here
   *[other] { $n } earlier bans here
}
mod-reason = Reason: { $value }
mod-note-was = Note: { $value }
mod-reported-answer = Reported answer or comment
mod-reported-user = Reported user
mod-report-count = { $n ->
    [one] one report
   *[other] { $n } reports
}
mod-already-removed = This content is already removed.
mod-see-in-thread = See it in its thread
mod-reasons = What the reporters said
mod-reporter-instance = from { $value }
mod-note = Note (goes into the moderation log)
mod-note-hint = { $n ->
    [one] At most one byte.
   *[other] At most { $n } bytes.
}
mod-also-remove = Also remove the content
mod-ban-legend = Ban the author from this group
mod-also-ban = Also ban the author
mod-ban-hours = Ban length in hours
mod-ban-hours-hint = Leave empty for a permanent ban.
mod-ban-reason = Reason of the ban (the note when empty)
mod-resolve = Resolve
mod-dismiss = Dismiss
mod-report-gone = This report is no longer open.
mod-resolve-invalid = Check the note (at most 2000 bytes) and the ban length (a whole number of hours).

## Moderation log
modlog-title = Moderation log
modlog-group-title = Moderation log of { $value }
modlog-instance-title = Moderation log of this instance
modlog-filter-label = Filter the log
modlog-filter-action = Action
modlog-filter-moderator = Moderator
modlog-filter-submit = Filter
modlog-all = All
modlog-empty = Nothing in the log matches.
modlog-col-date = Date
modlog-col-action = Action
modlog-col-moderator = Moderator
modlog-col-target = About
modlog-col-reason = Reason
modlog-post = post
modlog-action-remove = Removed
modlog-action-restore = Restored
modlog-action-lock = Locked
modlog-action-unlock = Unlocked
modlog-action-ban = Banned
modlog-action-unban = Unbanned
modlog-action-feature = Featured
modlog-action-unfeature = Unfeatured
modlog-action-add-moderator = Moderator added
modlog-action-remove-moderator = Moderator removed
modlog-action-block-instance = Instance blocked
modlog-action-silence-instance = Instance silenced
modlog-action-allow-instance = Instance allowed
modlog-action-clear-instance = Instance policy cleared
modlog-action-purge = Remote user purged

## A post's moderation page
post-moderate = Moderate
moderate-title = Moderate this post
moderate-reason = Reason (goes into the public moderation log)
moderate-reason-hint = Optional, at most 2000 bytes.
moderate-post-legend = The post
moderate-remove = Remove
moderate-restore = Restore
moderate-lock = Lock against answers
moderate-unlock = Unlock
moderate-feature = Feature
moderate-unfeature = Unfeature
moderate-ban-legend = Ban { $value } from this group
moderate-ban = Ban the author
moderate-unban = Lift the ban
moderate-remove-data = Also remove their posts in this group
moderate-hours-invalid = Enter a whole number of hours, or leave it empty.

## A group's moderators
mod-tab-moderators = Moderators
mod-moderators-title = Moderators of { $value }
mod-moderators-none = This group has no listed moderators; the instance's admins moderate it.
mod-moderator-remove = Remove
mod-moderator-remove-label = Remove { $value } as moderator
mod-moderator-add-heading = Add a moderator
mod-moderator-handle = Handle
mod-moderator-handle-hint = A name here, or name@server for someone elsewhere.
mod-moderator-add = Add
mod-moderator-unknown = No person with this handle was found.
## A group's settings
mod-tab-settings = Settings
mod-settings-title = Settings of { $value }
mod-settings-saved-profile = The group's profile was saved.
mod-settings-saved-newcomers = The welcome message and the posting rule were saved.
mod-settings-saved-organisations = The recognised organisations were saved.
mod-settings-saved-privileges = The privilege thresholds were saved.
mod-settings-invalid = Check this form: something in it is not valid.
mod-settings-profile = Profile
mod-settings-profile-hint = Other servers that follow the group are sent the new title, description and guidelines.
mod-settings-group-title = Title
mod-settings-title-hint = Required, at most { $n } characters.
mod-settings-title-length = Enter a title of 1 to { $n } characters.
mod-settings-description = Description
mod-settings-markdown-hint = Markdown, at most { $n } bytes.
mod-settings-guidelines = Guidelines
mod-settings-guidelines-hint = Markdown, at most { $n } bytes. People tick "I have read the guidelines" before their first post.
mod-settings-text-long = The text is too long: at most { $n } bytes.
mod-settings-save-profile = Save the profile
mod-settings-newcomers = Newcomers and asking
mod-settings-welcome = Welcome message
mod-settings-welcome-hint = Markdown, at most { $n } bytes; leave empty for none. Shown on a person's first question here and sent to them once, on their first post or follow: people here get a notification, followers on other servers a direct message.
mod-settings-who-may-ask = Who may ask questions
mod-settings-who-may-ask-hint = Answers and comments stay open to everyone who may post in the group.
mod-settings-ask-everyone = Everyone
mod-settings-ask-everyone-hint = Anyone not banned from the group, here or on another server.
mod-settings-ask-followers = Followers
mod-settings-ask-followers-hint = People who follow the group, here or on another server, and its moderators.
mod-settings-ask-members = Members only
mod-settings-ask-members-hint = People with an account on this server, and the group's moderators.
mod-settings-ask-choose = Choose who may ask.
mod-settings-save-newcomers = Save the welcome and the posting rule
mod-settings-personal-data = Personal data
mod-settings-patterns = Patterns of personal data
mod-settings-patterns-hint = Besides e-mail addresses, phone and card numbers, authors are warned of these before they post: one per line, a name, a colon and a regular expression (e.g. order: ORD-[0-9]+); at most { $n }.
mod-settings-patterns-bad = Line { $n } is not a name, a colon and a valid regular expression (or it is too complex, or matches empty text).
mod-settings-patterns-many = At most { $n } patterns.
mod-settings-save-personal-data = Save the patterns
mod-settings-saved-personal_data = The patterns of personal data were saved.
mod-settings-organisations = Recognised organisations
mod-settings-organisations-legend = Organisations whose verified staff this group recognises
mod-settings-organisations-none = No organisations are declared on this server yet; an admin declares them.
mod-settings-save-organisations = Save the organisations
mod-settings-privileges = Privilege thresholds
mod-settings-privileges-hint = The reputation in this group each privilege needs: a whole number from 0 to { $n }.
mod-settings-privilege-edit-tags = Edit tags
mod-settings-privilege-close-duplicates = Close duplicates
mod-settings-threshold-range = Enter a whole number from 0 to { $n }.
mod-settings-save-privileges = Save the thresholds
profile-moderate = Moderation
profile-ban-in = Ban from { $value }
profile-banned = Banned from this group.
moderate-ban-user = Ban
nav-admin = Admin
admin-fed-title = Federation health
admin-fed-queues = Queues
admin-fed-known = Known instances
admin-fed-pending-total = Deliveries waiting
admin-fed-failed-total = Deliveries failed
admin-fed-inbound = Received activities waiting
admin-fed-mode-open = Federation mode: open (every instance that is not blocked).
admin-fed-mode-allowlist = Federation mode: allowlist (only allowed instances that are not blocked).
admin-fed-set-title = Set an instance's policy
admin-fed-domain = Instance domain
admin-fed-domain-hint = A host name, with its port if it has one, like other.example.net
admin-fed-policy = Policy
admin-fed-reason = Reason
admin-fed-reason-hint = Shown in the instance's public moderation log.
admin-fed-set-block = Block: refuse it both ways and hide its content
admin-fed-set-silence = Silence: keep it federating, but do not pass its content on
admin-fed-set-allow = Allow (allowlist mode)
admin-fed-set-clear = Clear the policy
admin-fed-set-submit = Set the policy
admin-fed-instances = Known instances
admin-fed-search = Search by domain
admin-fed-search-submit = Search
admin-fed-none = No instance matches.
admin-fed-col-instance = Instance
admin-fed-col-policy = Policy
admin-fed-col-contact = Last successful contact (UTC)
admin-fed-col-failures = Failure streak
admin-fed-col-backoff = Back-off until (UTC)
admin-fed-col-pending = Waiting
admin-fed-col-failed = Failed
admin-fed-col-delivered = Delivered
admin-fed-col-actions = Actions
admin-fed-never = Never
admin-fed-no-backoff = None
admin-fed-policy-block = Blocked
admin-fed-policy-silence = Silenced
admin-fed-policy-allow = Allowed
admin-fed-policy-none = None
admin-fed-block = Block
admin-fed-silence = Silence
admin-fed-allow = Allow
admin-fed-clear = Clear
admin-fed-retry = Retry now
admin-fed-block-label = Block { $value }
admin-fed-silence-label = Silence { $value }
admin-fed-allow-label = Allow { $value }
admin-fed-clear-label = Clear the policy of { $value }
admin-fed-retry-label = Retry the deliveries to { $value } now
admin-fed-done-policy = The policy of { $value } was saved.
admin-fed-done-retry = The waiting deliveries to { $value } are due now.
admin-fed-error-policy = Choose a policy.
admin-fed-error-domain = Enter the instance's domain.
admin-fed-error-not-remote = “{ $value }” is not another instance's domain.
admin-fed-error-reason-long = The reason is at most { $n } characters long.

## The admin console: the instance
admin-inst-title = Instance
admin-inst-settings = Settings
admin-inst-as-configured = Every setting is as configured (command-line flags or PEERDESK_* variables).
admin-inst-set-here = Set here (last saved { $value } UTC); saved settings win over the configuration.
admin-inst-configured = As configured: { $value }
admin-inst-name = Site name
admin-inst-description = Description
admin-inst-description-hint = Markdown, shown on the home page and in NodeInfo; at most { $n } bytes.
admin-inst-registrations = Registrations
admin-inst-reg-open = Open: anyone may register
admin-inst-reg-closed = Closed: nobody may register
admin-inst-reg-invite = By invitation: with a code an admin made
admin-inst-group-creation = Who may create groups
admin-inst-groups-anyone = Every account
admin-inst-groups-granted = Admins and the accounts allowed to
admin-inst-mode = Federation mode
admin-inst-mode-blocklist = Open: every instance that is not blocked
admin-inst-mode-allowlist = Allowlist: only instances an admin allowed
admin-inst-limits = Rate limits
admin-inst-rate-limits = Limit posting, voting and reporting (per account and per instance)
admin-inst-hide-personal-data = Hide detected personal data in posts from other servers on public pages
admin-inst-hide-personal-data-hint = E-mail addresses, phone and card numbers are masked (••••@example.com) for visitors and members; admins and the group's moderators see them. What is stored is not changed.
admin-inst-limits-hint = Per remote instance and minute; 0 is no limit; at most { $n }.
admin-inst-post-limit = Posts from one instance
admin-inst-vote-limit = Votes from one instance
admin-inst-report-limit = Reports from one instance
admin-inst-save = Save the settings
admin-inst-reset = Back to the configuration
admin-inst-done-settings = The settings were saved and are in force.
admin-inst-done-reset = Every setting is as configured again.
admin-inst-error-name = Enter the site's name.
admin-inst-error-name-long = The site's name is at most { $n } characters long.
admin-inst-error-description-long = The description is at most { $n } bytes long.
admin-inst-error-choice = Choose one of the options.
admin-inst-error-limit = Enter a whole number from 0 to { $n }.
admin-inst-invitations = Invitations
admin-inst-invitations-hint = While registrations are by invitation, an account can be registered only with an invitation's code. The link is shown once, when the invitation is made.
admin-inst-invite-link = The invitation's link (shown only now)
admin-inst-invite-note = Note (who it is for)
admin-inst-invite-uses = How many accounts it may register
admin-inst-invite-days = Expires after (days)
admin-inst-invite-days-hint = 1 to 365; empty: never.
admin-inst-invite-submit = Make an invitation
admin-inst-invite-used = Used
admin-inst-invite-expires = Expires
admin-inst-invite-state = State
admin-inst-invite-never = Never
admin-inst-invite-active = Active
admin-inst-invite-used-up = Used up
admin-inst-invite-expired = Expired
admin-inst-invite-revoked = Revoked
admin-inst-invite-revoke = Revoke
admin-inst-done-invite = The invitation was made: copy its link now.
admin-inst-done-revoked = The invitation was revoked.
admin-inst-error-uses = Enter a whole number from 1 to 1000.
admin-inst-error-days = Enter a whole number of days from 1 to 365, or leave it empty.
admin-inst-error-note-long = The note is at most { $n } characters long.
admin-inst-groups = Groups
admin-inst-group = Group
admin-inst-group-questions = Questions
admin-inst-group-moderators = Moderators
admin-inst-hand-over = Hand over
admin-inst-hand-over-to = To the account
admin-inst-hand-over-replace = and remove the moderators before
admin-inst-new-group = Create a group
admin-inst-group-name = Name (in the group's address)
admin-inst-group-title = Title
admin-inst-group-description = Description (markdown)
admin-inst-group-create = Create the group
admin-inst-done-created = The group { $value } was created; you are its first moderator.
admin-inst-done-handed = The group { $value } was handed over.
admin-inst-error-group-name = Names are 2 to 40 characters: a-z, 0-9, _ and -.
admin-inst-error-group-taken = That name is taken.
admin-inst-error-group-title = Enter the group's title.
admin-inst-error-to = There is no account of this instance with that name.
admin-group-delete-link = Delete { $value }…
admin-group-delete-title = Delete the group { $value }
admin-group-delete-warning = { $n ->
    [one] The group's one question, its answers and comments are removed with it.
   *[other] The group's { $n } questions, their answers and comments are removed with it.
}
admin-group-delete-what-federated = A Delete of the group is sent to the servers this one knows; its followers stop following it.
admin-group-delete-what-name = The group's pages answer that it was deleted, and its name stays taken.
admin-group-delete-what-undo = This cannot be undone.
admin-group-delete-confirm = Type the group's name ({ $value }) to confirm
admin-group-delete-submit = Delete { $value }
admin-group-delete-error-confirm = Type { $value } to confirm.
admin-inst-done-deleted = The group { $value } was deleted.
modlog-action-delete_group = Group deleted

## Support metrics (/staff/metrics, /g/NAME/mod/metrics)
metrics-tab = Metrics
metrics-tabs-label = Console
metrics-group-title = Metrics of { $value }
metrics-staff-title = Support metrics of { $value }
metrics-intro = Questions asked in the period and how they were answered. Times run from the question to its first answer still there, and to the acceptance of its answer.
metrics-staff-intro = The groups that recognise your organisation, together: { $value }
metrics-period = Period
metrics-preset = { $n ->
    [one] Last day
   *[other] Last { $n } days
}
metrics-from = From
metrics-to = To (included)
metrics-apply = Show
metrics-csv = Download these figures (CSV)
metrics-none = none
metrics-minutes = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
metrics-hours = { $hours } h { $minutes } min
metrics-days = { $days } d { $hours } h
metrics-questions = Questions asked
metrics-answered = Answered
metrics-answered_percent = Share answered
metrics-median_first_answer_secs = Median time to first answer
metrics-p90_first_answer_secs = 90th percentile time to first answer
metrics-accepted = With an accepted answer
metrics-median_accepted_secs = Median time to accepted answer
metrics-p90_accepted_secs = 90th percentile time to accepted answer
metrics-resolution_percent = Resolution rate
metrics-answers = Answers in the period
metrics-staff_answers = Answers by staff
metrics-staff_percent = Staff share of answers
metrics-staff-reference = Branded communities: usually 5–30 %.
metrics-unanswered_backlog = Unanswered at the period's end
metrics-escalations = Questions escalated by rules
metrics-cases_opened = Cases opened
metrics-cases_resolved = Of those, solved or closed
metrics-case_resolution_percent = Cases solved or closed
metrics-suggestions_opened = Ask forms that opened a suggestion
metrics-deflected = Of those, did not ask (self-service)
metrics-deflection_percent = Deflection rate
metrics-search_clicks = Search results opened
metrics-search_deflected = Of those, not followed by a question within a day
metrics-search_deflection_percent = Deflected by search
metrics-chart-questions = Questions per week
metrics-chart-first = Median time to first answer per week
metrics-chart-desc = Bar chart; the table below lists the same values.
metrics-unit-questions = questions
metrics-unit-hours = hours
metrics-table-caption = Per week: questions asked, and the median time to their first answer
metrics-week = Week from
mod-more-reasons = { $n ->
    [one] and one more report
   *[other] and { $n } more reports
}

## Personal data in the ask and answer forms
personal-data-title = This seems to contain personal data
personal-data-intro = Questions and answers are public and are sent to other servers. We found:
personal-data-move-hint = Move it into a private case: it is taken out of the public text, which says "[moved to a private case]" instead, and only you and the group's staff see it.
personal-data-remove-hint = Remove it: it is cut out of your text for you to review before posting; or edit the text yourself.
personal-data-move = Move it into a private case
personal-data-remove = Remove it
personal-data-post = Post anyway
personal-data-field-title = title
personal-data-field-body = text
personal-data-kind-email = E-mail address
personal-data-kind-phone = Phone number
personal-data-kind-card = Payment card number
