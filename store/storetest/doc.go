// Package storetest is the conformance suite every store adapter of
// kitaportal must pass. It uses only the standard testing package, so an
// adapter author needs nothing else:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Stores {
//			s := memory.New()
//			return storetest.Stores{Registrations: s.Registrations(), ...}
//		})
//	}
//
// Each call of the factory must return empty stores that share one backend,
// so that atomic steps across ports can be observed.
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
