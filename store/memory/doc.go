// Package memory is the in-memory adapter for every store port of
// kitaportal: the embedded default, and the reference the PostgreSQL adapter
// is measured against by the conformance suite in store/storetest. [Store]
// is the application layer's unit of work (app.Store): Atomic runs a step
// under one write lock over every repository and undoes all of it on an
// error; app.Tx.Atomic inside a step is a savepoint; app.Tx.Drafts keeps
// the rounds' dry runs as deep copies (app.Draft.Clone). It is pure Go and
// links no database driver; its data lives as long as the process.
// [New] returns a store that grows as it fills; [NewSized] one made for the
// number of applications a year is expected to bring (a city knows it:
// Bochum had 35,703), whose maps and audit trail start with room for them.
// Values are copied in and out (tagespflege's aggregates through their
// Rehydrate constructors), so a caller never shares a slice with the store.
// Indexes (applications by child and by family, messages by family and by
// subject, pending messages with their claim times) keep the reads of a
// submission, a family's messages, an erasure and a claim independent of
// the size of the year; every change to them is undone with the step. An
// index entry is the list of its ids, appended to in the step. A step's
// undo log is kept from one step to the next and records the common
// changes (a new key, an index append, an audit entry, a sequence's
// number) without a function; a key the step has just found missing is
// stored without a second look-up, the child index is keyed by the
// application's own child key and year, and a new family's entry holds
// room for its first application and message. An application is kept in
// a record that also lists the messages about it, so that a submission's
// confirmation is indexed by its subject without another map (messages
// about other subjects, and those enqueued before their application, are
// listed in the outbox's own index by subject); the pending messages' claim
// times are kept as instants without pointers, for the garbage collector.
// For the same reason the audit trail is kept in fixed-size records
// without pointers (an instant, the index of its location, where its
// strings lie in text chunks shared by many entries), decoded when read,
// and the child index and the family index keep their entries in the map
// itself, an entry's first id in the entry (an idList), so that a child's
// or a new family's first application and message allocate nothing there.
// An audit entry reads back with the same instant in the same location,
// without a monotonic clock reading (as from PostgreSQL).
// A message as it is enqueued (Pending, untried, its texts in its
// Content) is kept in a compact form in the map's own slots: its strings,
// its Content, and its times as instants with the index of their
// locations, read back as the same values; any other message (claimed,
// sent, without Content, or with a time carrying a monotonic clock
// reading) is kept whole. The guardians, choices and history of a stored
// application share one allocation (registration.Application.Clone).
// A message enqueued with its notify.Content is kept so and
// rendered on every read (Message, Messages, FamilyMessages, Claim): the
// submitting step renders nothing. A read whose rendering fails (a city
// template beyond the render budget) returns the template's problems; a
// claim records such a message Failed (notify.LastErrorTemplate) instead
// of handing it out, and hands out the others.
//
// # Error contract
//
// Methods return the sentinels of the domain package whose port they
// implement (registration.ErrNotFound, registration.ErrConflict,
// tagespflege.ErrConflict, notify.ErrNotClaimed, ...), checked with
// errors.Is, and ctx.Err() when the context is done. An atomic step that
// fails leaves no trace. [NewSized] returns [ErrSize] for a number of
// applications below zero or above [MaxApplications].
package memory
