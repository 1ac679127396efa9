// Package memory is the in-memory adapter for every store port of
// kitaportal: the embedded default, and the reference the PostgreSQL adapter
// is measured against by the conformance suite in store/storetest.
//
// # Error contract
//
// Methods return the sentinels of the domain package whose port they
// implement (registration.ErrNotFound, registration.ErrConflict,
// tagespflege.ErrConflict, notify.ErrNotClaimed, ...), checked with
// errors.Is, and ctx.Err() when the context is done. An atomic step that
// fails leaves no trace.
package memory
