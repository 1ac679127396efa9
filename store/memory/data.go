package memory

// data is everything the store holds; each port keeps its part in its own
// file (registrations.go, tagespflege.go, outbox.go, ...).
type data struct {
	reg    regData
	tp     tpData
	outbox outboxData
	cat    catData
	keys   keyData
	drafts draftData
}

// newData returns empty data with room for the expected number of
// applications (0: none).
func newData(applications int) *data {
	return &data{
		reg:    newRegData(applications),
		tp:     newTPData(),
		outbox: newOutboxData(applications),
		cat:    newCatData(),
		keys:   keyData{},
		drafts: newDraftData(),
	}
}
