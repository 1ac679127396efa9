package registration

import (
	"context"

	"github.com/kitaportal/kitaportal/notify"
)

// SubmissionWriter is an optional capability of a [Tx]: storing a new
// application with its outbox messages and audit entries in one call,
// which a database adapter sends to the server in one round trip. It
// answers as [Tx.Insert] (ErrExists, ErrDuplicate) and [Tx.Enqueue]
// (notify.ErrExists, a message's validation error) would; after an error
// the step must fail, since rows sent with the application may be
// stored. A submission on a Tx without it is written with Insert,
// Enqueue and AppendAudit. The adapter must not keep the slice msgs
// after the step ends: the caller reuses it for the next submission.
type SubmissionWriter interface {
	InsertSubmission(ctx context.Context, a Application, msgs []notify.Message, audit []AuditEntry) error
}

// SubmissionReader is an optional capability of a [Tx]: the reads a
// submission makes before it writes, in one call, which a database
// adapter sends to the server in one round trip. earlier is what
// [Tx.ApplicationByKey] returns for (familyID, key), found false where
// that is ErrNotFound (an empty key is never found); child and family are
// what [Tx.Applications] returns for Query{ChildKey: childKey, Year: year}
// (the child's applications of the Kita year in every family, for the
// review of a match across families) and for Query{FamilyID: familyID,
// Year: year} (the family's). childKey must not be empty. A submission on
// a Tx without it looks the key up with ApplicationByKey and reads with
// Applications twice.
type SubmissionReader interface {
	SubmissionReads(ctx context.Context, familyID, key, childKey, year string) (earlier Application, found bool, child, family []Application, err error)
}
