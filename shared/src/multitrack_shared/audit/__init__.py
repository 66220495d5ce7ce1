"""The audit log: who changed which record, when, in which request (standard procedure 4).

Every service keeps its own ``audit_log`` table (``audit_table(metadata)``); the unit of work
writes its entries in the same transaction as the change. Entries are only ever inserted: no
code updates or deletes them, and pruning leaves them alone. They hold who acted (subject,
organization, client, kind: never a person's name), what was changed (record type and id,
action) and the request or event it came from; never text from a request body.
"""
