# Private messages (/messages, /messages/{id}, /messages/new).
messages-title = Messages
messages-intro = Private conversations with one person, here or on another server. Only the two of you see them.
messages-none = No messages yet.
messages-unread = { $value } unread
messages-with = Conversation with { $value }
messages-private = Private: only the two of you see this conversation.
messages-deleted = This message was deleted.
messages-reply = Your message
messages-send = Send
messages-new-title = Send a message
messages-to = To (name, or name@server)
messages-unknown-recipient = Nobody by this name was found.
messages-send-link = Send a message
messages-report = Report this message
messages-report-reason = Why is it abusive?
messages-report-send = Report to the admins
messages-reported = Thank you: the admins have your report.
