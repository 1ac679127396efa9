package postgres

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

var update = flag.Bool("update", false, "rewrite the golden documents in testdata")

// storedApplication is an application with every field set, as the
// aggregate leaves it after an upgrade offer in the second round: a twin
// kept together, holding its accepted second choice.
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
		HoursAlternatives: []kita.Hours{35},
		Choices: []registration.Choice{
			{Rank: 1, KitaID: "kita-0815", Status: registration.ChoiceOffered, Carrier: "Stadt Bochum"},
			{Rank: 2, KitaID: "kita-0042", Status: registration.ChoiceAccepted, Carrier: "AWO"},
		},
		TP: &registration.Tagespflege{District: "Bochum-Mitte", ReferralID: "ref-7"},
		Criteria: registration.Criteria{
			SiblingKitaIDs: []string{"kita-0042"}, SingleParent: true, Hardship: true, HardshipReason: "illness",
		},
		Together:  true,
		ConsentAt: at, Flags: []registration.Flag{registration.FlagShortNotice, registration.FlagLate},
		IdempotencyKey: "idem-1", ChildKey: "c0ffee", SubmittedAt: at, UpdatedAt: at.Add(time.Hour), Anonymized: true,
	}
	return registration.Rehydrate(a, registration.Lifecycle{
		Status: registration.Offered,
		Offer: &registration.Offer{KitaID: "kita-0815", Band: kita.Under3, Hours: 35, From: "2026-08", Round: 2, At: at.Add(2 * time.Hour),
			RespondBy: date.New(2026, 2, 1), Reminded: true},
		Held: &registration.Offer{KitaID: "kita-0042", Band: kita.Under3, Round: 1, At: at.Add(time.Hour),
			RespondBy: date.New(2026, 1, 25)},
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

// requireEveryField fails when an exported field of the struct v is zero,
// so that a field added to a domain type fails the document tests until the
// adapter's document stores it.
func requireEveryField(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if f := rv.Type().Field(i); f.IsExported() {
			require.False(t, rv.Field(i).IsZero(), "%s.%s is zero in the test value: set it, and store it in the adapter's document", rv.Type(), f.Name)
		}
	}
}

// docCase checks one stored type. The golden file is the stored schema:
// the adapter's document must match it and read back from it equal, so a
// renamed domain JSON tag cannot change what databases hold. The other
// subtests prove that documents written before the adapter had its own
// types (json.Marshal of the domain value) and the adapter's documents are
// the same JSON and read each other back equal; should a domain tag be
// renamed on purpose, only those fail, and the golden file still pins the
// schema.
type docCase[T, D any] struct {
	value  T
	toDoc  func(T) D
	fromDo func(D) T
	golden string
	// state returns the lifecycle of an aggregate whose lifecycle is
	// unexported (its Rehydrate state), so that it too has every field set.
	state func(T) any
}

func (c docCase[T, D]) run(t *testing.T) {
	requireEveryField(t, c.value)
	if c.state != nil {
		requireEveryField(t, c.state(c.value))
	}
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
	t.Run("the golden document reads back equal", func(t *testing.T) {
		b, err := os.ReadFile(filepath.Join("testdata", c.golden))
		require.NoError(t, err)
		var d D
		require.NoError(t, json.Unmarshal(b, &d))
		assert.Equal(t, c.value, c.fromDo(d))
	})
}

func TestApplicationDocument(t *testing.T) {
	docCase[registration.Application, applicationDoc]{
		value: storedApplication(), toDoc: toApplicationDoc,
		fromDo: applicationDoc.application, golden: "application.golden.json",
	}.run(t)
}

// atStoredVersion reads a document at the version it carries, as the
// version column holds it.
func atStoredVersion[D, T any](value func(D, int64) T, version func(D) int64) func(D) T {
	return func(d D) T { return value(d, version(d)) }
}

// storedReferral is a referral with every field set: placed, then closed
// when the care ended.
func storedReferral() tagespflege.Referral {
	at := time.Date(2026, 2, 3, 10, 0, 0, 500000000, time.UTC)
	return tagespflege.RehydrateReferral(tagespflege.Referral{
		ID: "ref-7", ApplicationID: "app-000042", FamilyID: "fam-17", Reference: "VA-2026-000042",
		District: "Bochum-Wattenscheid", CreatedAt: at, UpdatedAt: at.Add(72 * time.Hour),
	}, tagespflege.ReferralState{
		Status: tagespflege.Closed, Version: 4,
		MinderID: "minder-3", Start: date.New(2026, 9, 1), CloseReason: tagespflege.CareEnded,
		History: []tagespflege.Event{
			{At: at, Actor: "system", Status: tagespflege.Open},
			{At: at.Add(time.Hour), Actor: "fachberatung-2", Status: tagespflege.Contacted, Note: "called back"},
			{At: at.Add(48 * time.Hour), Actor: "fachberatung-2", Status: tagespflege.Placed, MinderID: "minder-3"},
			{At: at.Add(72 * time.Hour), Actor: "fachberatung-2", Status: tagespflege.Closed, Reason: tagespflege.CareEnded},
		},
	})
}

func TestReferralDocument(t *testing.T) {
	docCase[tagespflege.Referral, referralDoc]{
		value: storedReferral(), toDoc: toReferralDoc, golden: "referral.golden.json",
		state:  func(r tagespflege.Referral) any { return r.State() },
		fromDo: atStoredVersion(referralDoc.referral, func(d referralDoc) int64 { return d.Version }),
	}.run(t)
}

// storedMinder is a minder with every field set.
func storedMinder() tagespflege.Minder {
	at := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	return tagespflege.RehydrateMinder(tagespflege.Minder{
		ID: "minder-3", Name: "Sabine Öztürk", District: "Bochum-Wattenscheid",
		Contact:  tagespflege.Contact{Email: "tagespflege.oeztuerk@example.org", Phone: "02327 987654"},
		Address:  geo.Address{Street: "Hochstraße", HouseNumber: "5", PostalCode: "44866", City: "Bochum"},
		Licence:  tagespflege.Licence{ValidFrom: date.New(2024, 8, 1), ValidTo: date.New(2029, 7, 31)},
		Capacity: 5, MaxContracts: 10, ExtendedContracts: true, GroupID: "group-1",
		Ages:  tagespflege.AgeRange{FromMonths: 0, ToMonths: 36},
		Hours: []kita.Hours{25, 35, 45},
	}, tagespflege.MinderState{
		Placements: []tagespflege.Placement{{ReferralID: "ref-7", Start: date.New(2026, 9, 1)}},
		CreatedAt:  at, UpdatedAt: at.Add(time.Hour), Version: 3,
	})
}

func TestMinderDocument(t *testing.T) {
	docCase[tagespflege.Minder, minderDoc]{
		value: storedMinder(), toDoc: toMinderDoc, golden: "minder.golden.json",
		state:  func(m tagespflege.Minder) any { return m.State() },
		fromDo: atStoredVersion(minderDoc.minder, func(d minderDoc) int64 { return d.Version }),
	}.run(t)
}

// storedGroup is a Großtagespflege with every field set.
func storedGroup() tagespflege.Group {
	at := time.Date(2026, 2, 3, 10, 0, 0, 0, time.UTC)
	return tagespflege.RehydrateGroup(tagespflege.Group{
		ID: "group-1", Name: "Großtagespflege Sonnenschein", District: "Bochum-Wattenscheid",
		MinderIDs: []string{"minder-3", "minder-4"}, Capacity: 9,
	}, tagespflege.GroupState{Placements: []string{"ref-7"}, CreatedAt: at, UpdatedAt: at.Add(time.Hour), Version: 2})
}

func TestGroupDocument(t *testing.T) {
	docCase[tagespflege.Group, groupDoc]{
		value: storedGroup(), toDoc: toGroupDoc, golden: "group.golden.json",
		state:  func(g tagespflege.Group) any { return g.State() },
		fromDo: atStoredVersion(groupDoc.group, func(d groupDoc) int64 { return d.Version }),
	}.run(t)
}

// formerEditsRow is how kita_edits.doc was written before the adapter had
// its own document types: the domain's profile and capacity types.
type formerEditsRow struct {
	Profile      kita.PublicProfile `json:"profile"`
	Closed       bool               `json:"closed"`
	FreePlaces   kita.Capacity      `json:"free_places"`
	FreePlacesAt time.Time          `json:"free_places_at"`
}

// storedEdits are a Kita's edits with every field set.
func storedEdits() kita.Edits {
	return kita.Edits{
		KitaID: "kita-0815",
		Profile: kita.PublicProfile{
			Head: "Birgit Schneider", Text: "Zweigruppige Kita am Stadtpark.", Concept: "Situationsansatz",
			Languages: []string{"de", "tr"}, InclusionPlaces: 3, FamilyCentre: true,
		},
		Closed:       true,
		FreePlaces:   kita.Capacity{Under3: 2, From3: 5},
		FreePlacesAt: time.Date(2026, 3, 1, 8, 15, 0, 0, time.UTC),
		Pools:        []kita.Pool{{Band: kita.Under3, Hours: 35, From: "2027-08", Capacity: 4}, {Band: kita.From3, Hours: 45, From: "2028-01", Capacity: 2}},
		Version:      5,
	}
}

func TestEditsDocument(t *testing.T) {
	e := storedEdits()
	requireEveryField(t, e)
	old, err := json.Marshal(formerEditsRow{Profile: e.Profile, Closed: e.Closed, FreePlaces: e.FreePlaces, FreePlacesAt: e.FreePlacesAt})
	require.NoError(t, err)
	stored, err := json.MarshalIndent(toEditsDoc(e), "", "\t")
	require.NoError(t, err)
	withoutPools := e
	withoutPools.Pools = nil
	storedWithout, err := json.Marshal(toEditsDoc(withoutPools))
	require.NoError(t, err)

	t.Run("a document in the former form reads back equal, keeping the catalogue's pools", func(t *testing.T) {
		var d editsDoc
		require.NoError(t, json.Unmarshal(old, &d))
		assert.Equal(t, withoutPools, d.edits(e.KitaID, e.Version))
	})
	t.Run("the adapter's document reads back equal in the former form", func(t *testing.T) {
		var r formerEditsRow
		require.NoError(t, json.Unmarshal(stored, &r))
		assert.Equal(t, withoutPools, kita.Edits{KitaID: e.KitaID, Profile: r.Profile, Closed: r.Closed,
			FreePlaces: r.FreePlaces, FreePlacesAt: r.FreePlacesAt, Version: e.Version})
	})
	t.Run("the pools read back equal", func(t *testing.T) {
		var d editsDoc
		require.NoError(t, json.Unmarshal(stored, &d))
		assert.Equal(t, e, d.edits(e.KitaID, e.Version))
	})
	t.Run("edits removing the pools read back as an empty list, not as keeping them", func(t *testing.T) {
		none := e
		none.Pools = []kita.Pool{}
		p, err := json.Marshal(toEditsDoc(none))
		require.NoError(t, err)
		var d editsDoc
		require.NoError(t, json.Unmarshal(p, &d))
		got := d.edits(e.KitaID, e.Version)
		require.NotNil(t, got.Pools)
		assert.Empty(t, got.Pools)
	})
	t.Run("without pools both documents are the same JSON", func(t *testing.T) {
		assert.JSONEq(t, string(old), string(storedWithout))
	})
	t.Run("the document matches its golden file", func(t *testing.T) {
		golden(t, "edits.golden.json", stored)
	})
	t.Run("groups and a zero report instant are stored as before", func(t *testing.T) {
		bare := kita.Edits{KitaID: "kita-1", FreePlaces: kita.Capacity{Under3: 1, Groups: []kita.Group{{}}}}
		b, err := json.Marshal(toEditsDoc(bare))
		require.NoError(t, err)
		assert.JSONEq(t, `{"profile":{},"closed":false,"free_places":{"u3":1,"o3":0},"free_places_at":"0001-01-01T00:00:00Z"}`, string(b))
		var d editsDoc
		require.NoError(t, json.Unmarshal(b, &d))
		bare.FreePlaces.Groups = nil
		assert.Equal(t, bare, d.edits("kita-1", 0))
	})
}
