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

// The statements of a read group (readGroup): the keys' lookup, the
// children's and the families' applications of their Kita years.
var GroupReads = []string{groupKeysSQL, groupChildSQL, groupFamilySQL}
