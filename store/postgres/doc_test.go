package postgres

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

var update = flag.Bool("update", false, "rewrite the golden documents in testdata")

// storedApplication is an application with every field set, as the
// aggregate leaves it after an offer in the second round.
func storedApplication() registration.Application {
	at := time.Date(2026, 1, 15, 9, 30, 0, 123456000, time.UTC)
	a := registration.Application{
		ID: "app-000042", Reference: "VA-2026-000042", FamilyID: "fam-17", Year: "2026/2027",
		Child: registration.Child{GivenName: "Mia", FamilyName: "Kowalski", BirthDate: date.New(2025, 3, 2), Unborn: true},
		Guardians: []registration.Guardian{
			{GivenName: "Anna", FamilyName: "Kowalski", Email: "anna.kowalski@example.org", Phone: "+49 234 1234567", Language: "de", Working: true},
			{GivenName: "Tomasz", FamilyName: "Kowalski", Email: "t.kowalski@example.org", Language: "pl"},
		},
		Address:  geo.Address{Street: "Herner Straße", HouseNumber: "12a", PostalCode: "44791", City: "Bochum"},
		District: "Bochum-Mitte", Start: date.New(2026, 8, 1), Hours: 45,
		Choices: []registration.Choice{
			{Rank: 1, KitaID: "kita-0815", Status: registration.ChoiceOffered, Carrier: "Stadt Bochum"},
			{Rank: 2, KitaID: "kita-0042", Status: registration.Waiting, Carrier: "AWO"},
		},
		TP: &registration.Tagespflege{District: "Bochum-Mitte", ReferralID: "ref-7"},
		Criteria: registration.Criteria{
			SiblingKitaIDs: []string{"kita-0042"}, SingleParent: true, Hardship: true, HardshipReason: "illness",
		},
		ConsentAt: at, Flags: []registration.Flag{registration.FlagShortNotice, registration.FlagLate},
		IdempotencyKey: "idem-1", ChildKey: "c0ffee", SubmittedAt: at, UpdatedAt: at.Add(time.Hour), Anonymized: true,
	}
	return registration.Rehydrate(a, registration.Lifecycle{
		Status: registration.Offered,
		Offer: &registration.Offer{KitaID: "kita-0815", Band: kita.Under3, Round: 2, At: at.Add(2 * time.Hour),
			RespondBy: date.New(2026, 2, 1), Reminded: true},
		History: []registration.Event{
			{At: at, Actor: "family", To: registration.Submitted},
			{At: at.Add(time.Minute), Actor: "system", From: registration.Submitted, To: registration.Confirmed, Reason: "receipt"},
			{At: at.Add(2 * time.Hour), Actor: "round-2", From: registration.Confirmed, To: registration.Offered},
		},
		Version: 7,
	})
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "the stored document of %s changed: existing databases would no longer read", name)
}

// docCase checks one stored type: the document the domain's own JSON
// wrote before the adapter had its types reads back equal, the adapter's
// document reads back equal through the domain's JSON, both are the same
// JSON, and the adapter's document matches its golden file.
type docCase[T, D any] struct {
	value  T
	toDoc  func(T) D
	fromDo func(D) T
	golden string
}

func (c docCase[T, D]) run(t *testing.T) {
	old, err := json.Marshal(c.value)
	require.NoError(t, err)
	stored, err := json.MarshalIndent(c.toDoc(c.value), "", "\t")
	require.NoError(t, err)

	t.Run("a document written from the domain value reads back equal", func(t *testing.T) {
		var d D
		require.NoError(t, json.Unmarshal(old, &d))
		assert.Equal(t, c.value, c.fromDo(d))
	})
	t.Run("the adapter's document reads back equal through the domain's JSON", func(t *testing.T) {
		var v T
		require.NoError(t, json.Unmarshal(stored, &v))
		assert.Equal(t, c.value, v)
	})
	t.Run("both documents are the same JSON", func(t *testing.T) {
		assert.JSONEq(t, string(old), string(stored))
	})
	t.Run("the document matches its golden file", func(t *testing.T) {
		golden(t, c.golden, stored)
	})
}

func TestApplicationDocument(t *testing.T) {
	docCase[registration.Application, applicationDoc]{
		value: storedApplication(), toDoc: toApplicationDoc,
		fromDo: applicationDoc.application, golden: "application.golden.json",
	}.run(t)
}
