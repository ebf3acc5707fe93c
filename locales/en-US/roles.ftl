# Community roles of groups (English).

roles-tab = Roles
roles-title = Community roles of { $value }
roles-intro = Roles give trusted members a title shown beside their name in this group, and the privileges you choose.
roles-heading = Roles
roles-none = The group has no roles yet.
roles-title-only = A title only
roles-no-holders = Nobody holds this role yet.
roles-unassign = Take away
roles-unassign-label = Take the role { $title } away from { $who }
roles-delete = Delete the role
roles-delete-label = Delete the role { $value }
roles-assign-heading = Give a role
roles-suggestions = Top contributors of the group, by the reputation they earned here:
roles-score = { $n ->
    [one] 1 point
   *[other] { $n } points
}
roles-role = Role
roles-handle = Person
roles-assign = Give the role
roles-new-heading = New role
roles-name = Name
roles-name-hint = Shown beside the name, for example Ambassador or Curator (at most 40 characters).
roles-privileges = Privileges
roles-privilege-lock = Lock and unlock questions
roles-privilege-feature = Feature questions
roles-privilege-see-removed = Read removed posts
roles-create = Create the role
roles-error-taken = The group has a role of that name already.
roles-error-unknown = No such role or person.
roles-error-name = A role's name has 1 to 40 characters of plain text.
roles-error-handle = Type a name here or a handle like name@example.social.
role-in-group = { $title } in { $value }
