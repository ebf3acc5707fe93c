# The admin console's People pages (/admin/people): local users, remote users seen
# here, organisations and staff.
admin-nav-label = Admin console
admin-people-title = People
admin-people-tabs-label = People
admin-people-tab-local = Local users
admin-people-tab-remote = Remote users
admin-people-tab-staff = Organisations and staff
admin-people-local = Local users
admin-people-search = Search by name or display name
admin-people-none = No user matches.
admin-people-local-caption = { $n ->
    [one] One local user
   *[other] { $n } local users
}
admin-people-col-user = User
admin-people-col-display = Display name
admin-people-col-roles = Roles
admin-people-col-org = Organisation
admin-people-col-state = State
admin-people-col-joined = Joined
admin-people-col-posts = Posts here
admin-people-manage = Manage
admin-people-manage-label = Manage { $value }
admin-people-role-admin = Admin
admin-people-role-staff = Staff
admin-people-role-groups = May create groups
admin-people-state-active = Active
admin-people-state-suspended = Suspended
admin-people-state-deleted = Deleted
admin-person-title = Manage { $value }
admin-person-about = Account
admin-person-handle = Handle
admin-person-suspended-since = Suspended since { $value }.
admin-person-suspended-reason = Reason: { $value }
admin-person-deleted = This account was deleted. Its name stays taken.
admin-person-roles = Roles
admin-person-roles-legend = Roles of { $value }
admin-person-roles-submit = Save the roles
admin-person-suspension = Suspension
admin-person-self-note = This is your own account: you cannot suspend or delete it here.
admin-person-suspend-hint = A suspended account cannot sign in, its sessions and API tokens stop working at once, and its profile says it is suspended. Its posts stay.
admin-person-unsuspend-hint = The account is suspended. Lifting the suspension lets it sign in again.
admin-person-reason-optional = Reason (optional)
admin-person-suspend = Suspend
admin-person-unsuspend = Lift the suspension
admin-person-org = Organisation
admin-person-delete = Delete the account
admin-person-delete-hint = Deletes the account with its posts, here and on the servers that know it. This cannot be undone.
admin-person-delete-link = Delete { $value }…
admin-person-done-roles = The roles of { $value } were saved.
admin-person-done-suspend = { $value } is suspended.
admin-person-done-unsuspend = The suspension of { $value } was lifted.
admin-person-done-organisation = The organisation of { $value } was saved.
admin-person-done-deleted = The account { $value } was deleted.
admin-person-error-self-admin = You cannot take away your own admin role.
admin-person-error-self-suspend = You cannot suspend your own account.
admin-person-error-reason = Give a reason.
admin-person-error-reason-long = The reason is at most { $n } bytes long.
admin-delete-title = Delete the account { $value }
admin-delete-warning = { $n ->
    [one] Its one post is deleted, and the account with it.
   *[other] Its { $n } posts are deleted, and the account with them.
}
admin-delete-what-federated = The deletions are sent to the servers that follow its groups, and a deletion of the account to every server this one knows.
admin-delete-what-name = Its sessions end. The name stays taken: nobody can register it again.
admin-delete-what-undo = This cannot be undone.
admin-delete-confirm = Type { $value } to confirm
admin-delete-submit = Delete { $value } and their posts
admin-delete-error-confirm = Type { $value } to confirm the deletion.
admin-delete-error-self = You cannot delete your own account.
admin-remote-title = Remote users
admin-remote-hint = Users of other servers whose posts, votes or follows reached this one.
admin-remote-search = Search by handle or instance
admin-remote-none = No remote user matches.
admin-remote-caption = { $n ->
    [one] One remote user
   *[other] { $n } remote users
}
admin-remote-col-handle = Account
admin-remote-col-first-seen = First seen
admin-remote-purge = Purge
admin-remote-purge-label = Purge the posts of { $value }
admin-remote-done-purge = { $n ->
    [one] One post of { $value } was removed.
   *[other] { $n } posts of { $value } were removed.
}
admin-purge-title = Purge { $value }
admin-purge-warning = { $n ->
    [one] Its one post stored here is removed, in every group.
   *[other] Its { $n } posts stored here are removed, in every group.
}
admin-purge-local = The purge takes effect only here: it is not sent to other servers. Moderators can restore a removed post.
admin-purge-confirm = Remove every post of { $value } stored here
admin-purge-error-confirm = Tick the box to confirm the purge.
admin-staff-title = Organisations and staff
admin-staff-orgs = Organisations
admin-staff-orgs-none = No organisation is declared yet.
admin-staff-orgs-caption = Organisations declared here and their staff
admin-staff-col-org = Organisation
admin-staff-col-domain = Domain
admin-staff-col-staff = Staff here
admin-staff-col-list = Staff list to publish
admin-staff-no-staff = None yet
admin-staff-declare = Declare an organisation
admin-staff-name = Name
admin-staff-domain = The organisation's own domain
admin-staff-domain-hint = A host name, like acme.example. It must publish its staff list at /.well-known/peerdesk-staff.
admin-staff-declare-submit = Declare the organisation
admin-staff-assign = Make a user staff of an organisation
admin-staff-user = Local user's name
admin-staff-organisation = Organisation
admin-staff-none = None (not staff)
admin-staff-assign-hint = Staff of an organisation also get the staff role; choosing none removes it.
admin-staff-assign-submit = Save the organisation
admin-staff-claims = Remote staff claims
admin-staff-claims-hint = Accounts of other servers that claim to be staff of an organisation, and what the organisation's domain said when it was last checked (daily).
admin-staff-claims-none = No remote account claims to be staff.
admin-staff-claims-caption = Remote staff claims and their checks
admin-staff-col-check = Check
admin-staff-col-reason = Reason
admin-staff-col-checked = Checked (UTC)
admin-staff-claim-verified = Verified
admin-staff-claim-refused = Not verified
admin-staff-claim-unchecked = Not checked yet
admin-staff-done-declared = The organisation { $value } was declared.
admin-staff-done-assigned = The organisation of { $value } was saved.
admin-staff-error-name = Give the organisation's name, at most { $n } bytes.
admin-staff-error-domain = Give the organisation's domain, like acme.example (no / or @).
admin-staff-error-org = Choose one of the organisations.
admin-staff-error-user = Enter a local user's name.
admin-staff-error-no-user = There is no local user named { $value }.
admin-staff-error-deleted = The account { $value } was deleted.
modlog-action-suspend = Account suspended
modlog-action-unsuspend = Suspension lifted
modlog-action-delete-account = Account deleted
profile-suspended = This account is suspended by the admins of this instance.
signin-suspended = This account is suspended. Ask the admins of this instance.
