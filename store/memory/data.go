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

func newData() *data {
	return &data{
		reg:    newRegData(),
		tp:     newTPData(),
		outbox: newOutboxData(),
		cat:    newCatData(),
		keys:   keyData{},
		drafts: newDraftData(),
	}
}
