// Package storetest is the conformance suite every store adapter of
// kitaportal must pass. It uses only the standard testing package, so an
// adapter author needs nothing else:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Stores {
//			s := memory.New()
//			return storetest.Stores{Registrations: s.Registrations(), ..., Unit: s,
//				Reopen: ..., Dump: ...}
//		})
//	}
//
// Each call of the factory must return empty stores that share one backend,
// so that atomic steps across ports can be observed. Unit is the backend as
// the application layer's unit of work; Reopen opens a second handle on the
// same data (a restarted instance); Dump returns the text of every table or
// structure, which the erasure test searches for personal data.
//
// Each case is a named test function; the Run functions list them:
// [RunRegistrations], [RunOutbox], [RunTagespflege], [RunPrivacy],
// [RunLifecycle], [RunUnitOfWork] (all or nothing across repositories,
// nested steps, catalogue edits found again after reopening),
// [RunErasure] (an erased family is nowhere in the store, not even in a
// round's stored dry run) and [RunDrafts] (a draft saved and read back
// unchanged, the newest per round or year, all or nothing, found after
// reopening, erased applications removed).
//
// # Error contract
//
// The suite checks that adapters return the domain packages' sentinels
// (registration.ErrNotFound, ErrDuplicate, ErrConflict, ErrNoPlace,
// tagespflege.ErrConflict, notify.ErrNotClaimed, ...) through errors.Is.
//
// # Glossary
//
//   - Voranmeldung: an application (registration.Application).
//   - Fachberatung: the office a Tagespflege referral goes to.
//   - Tagespflegeperson: a child-minder (tagespflege.Minder).
package storetest
