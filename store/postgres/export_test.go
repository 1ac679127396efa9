package postgres

import (
	"github.com/jackc/pgx/v5"

	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/registration"
)

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

// GroupInserts returns the statements that insert the rows of a group of
// submissions, each application with its message and audit entry.
func GroupInserts(apps []registration.Application, msgs []notify.Message, audit []registration.AuditEntry) ([]*pgx.QueuedQuery, error) {
	group := make([]*member, len(apps))
	for i, a := range apps {
		a, doc, err := newApplicationDoc(a)
		if err != nil {
			return nil, err
		}
		rendered, err := notify.RenderAll(msgs[i : i+1])
		if err != nil {
			return nil, err
		}
		group[i] = &member{rows: []*submissionRows{{app: a, doc: doc, msgs: rendered, audit: audit[i : i+1]}}}
	}
	b := &pgx.Batch{}
	queueGroupRows(b, group)
	return b.QueuedQueries, nil
}
