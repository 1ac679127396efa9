package postgres

// The fully populated values of the document tests, for the tests against
// a server.
var (
	StoredApplication = storedApplication
	StoredReferral    = storedReferral
	StoredMinder      = storedMinder
	StoredGroup       = storedGroup
	StoredEdits       = storedEdits
	StoredDraft       = storedDraft
)
