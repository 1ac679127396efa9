package tagespflege_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/tagespflege"
	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validMinder is a licensed minder in Mitte with five places.
func validMinder(id string) tagespflege.Minder {
	return tagespflege.Minder{
		ID:       id,
		Name:     "Jürgen Ößmann-Çelik",
		District: "mitte",
		Contact:  tagespflege.Contact{Email: "tagesvater@example.org", Phone: "0234 123456"},
		Address:  geo.Address{Street: "Kortumstraße", HouseNumber: "12a", PostalCode: "44787", City: "Bochum"},
		Licence: tagespflege.Licence{
			ValidFrom: date.New(2025, time.January, 1),
			ValidTo:   date.New(2029, time.December, 31),
		},
		Capacity:     5,
		MaxContracts: 8,
		Ages:         tagespflege.AgeRange{FromMonths: 0, ToMonths: 36},
		Hours:        []kita.Hours{25, 35, 45},
	}
}

func TestMinderValidate(t *testing.T) {
	require.NoError(t, validMinder("m1").Validate(), "the fixture is valid")

	tests := []struct {
		name   string
		change func(*tagespflege.Minder)
		field  string
		code   problem.Code
		rule   error
	}{
		{"six children at once exceed the licence", func(m *tagespflege.Minder) { m.Capacity = 6 }, "capacity", tagespflege.CodeCapacityExceedsLicence, tagespflege.ErrLicenceLimit},
		{"no capacity is missing", func(m *tagespflege.Minder) { m.Capacity = 0 }, "capacity", tagespflege.CodeCapacityMissing, tagespflege.ErrMissing},
		{"nine contracts exceed the limit of eight", func(m *tagespflege.Minder) { m.MaxContracts = 9 }, "max_contracts", tagespflege.CodeContractsExceedLimit, tagespflege.ErrLicenceLimit},
		{"eleven contracts exceed even the extended limit", func(m *tagespflege.Minder) { m.MaxContracts, m.ExtendedContracts = 11, true }, "max_contracts", tagespflege.CodeContractsExceedLimit, tagespflege.ErrLicenceLimit},
		{"fewer contracts than children at once make no sense", func(m *tagespflege.Minder) { m.MaxContracts = 4 }, "max_contracts", tagespflege.CodeContractsBelowCapacity, tagespflege.ErrRange},
		{"a licence without dates is missing", func(m *tagespflege.Minder) { m.Licence = tagespflege.Licence{} }, "licence", tagespflege.CodeLicenceMissing, tagespflege.ErrLicencePeriod},
		{"a licence ending before it begins is reversed", func(m *tagespflege.Minder) { m.Licence.ValidTo = date.New(2024, time.December, 31) }, "licence", tagespflege.CodeLicenceReversed, tagespflege.ErrLicencePeriod},
		{"a licence of five years and a day is too long", func(m *tagespflege.Minder) { m.Licence.ValidTo = date.New(2030, time.January, 1) }, "licence", tagespflege.CodeLicenceTooLong, tagespflege.ErrLicencePeriod},
		{"an age range ending before it begins is invalid", func(m *tagespflege.Minder) { m.Ages = tagespflege.AgeRange{FromMonths: 12, ToMonths: 12} }, "ages", tagespflege.CodeAgesInvalid, tagespflege.ErrRange},
		{"no care hours are missing", func(m *tagespflege.Minder) { m.Hours = nil }, "hours", tagespflege.CodeHoursMissing, tagespflege.ErrMissing},
		{"seventy hours a week are out of range", func(m *tagespflege.Minder) { m.Hours = []kita.Hours{25, 70} }, "hours[1]", tagespflege.CodeHoursInvalid, tagespflege.ErrRange},
		{"the same hours twice are a duplicate", func(m *tagespflege.Minder) { m.Hours = []kita.Hours{25, 25} }, "hours[1]", tagespflege.CodeDuplicateHours, tagespflege.ErrDuplicate},
		{"neither e-mail nor phone is missing contact", func(m *tagespflege.Minder) { m.Contact = tagespflege.Contact{} }, "contact", tagespflege.CodeContactMissing, tagespflege.ErrMissing},
		{"a malformed e-mail is a field problem", func(m *tagespflege.Minder) { m.Contact.Email = "no-at-sign" }, "contact.email", "email", problem.ErrField},
		{"a missing name is a field problem", func(m *tagespflege.Minder) { m.Name = "" }, "name", "required", problem.ErrField},
		{"a postal code of four digits is a field problem", func(m *tagespflege.Minder) { m.Address.PostalCode = "4478" }, "address.postal_code", "len", problem.ErrField},
		{"more placements than places exceed the capacity", func(m *tagespflege.Minder) {
			m.Capacity = 1
			*m = tagespflege.RehydrateMinder(*m, tagespflege.MinderState{Placements: []tagespflege.Placement{{ReferralID: "r1"}, {ReferralID: "r2"}}})
		}, "placements", tagespflege.CodePlacementsExceedCap, tagespflege.ErrLicenceLimit},
		{"the same referral placed twice is a duplicate", func(m *tagespflege.Minder) {
			*m = tagespflege.RehydrateMinder(*m, tagespflege.MinderState{Placements: []tagespflege.Placement{{ReferralID: "r1"}, {ReferralID: "r1"}}})
		}, "placements[1]", tagespflege.CodeDuplicatePlacement, tagespflege.ErrDuplicate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := validMinder("m1")
			tc.change(&m)
			err := m.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, problem.ErrInvalid)
			assert.ErrorIs(t, err, tc.rule)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tc.field, tc.code), "want %s at %s, got %v", tc.code, tc.field, list)
		})
	}

	t.Run("every problem of a minder is listed at once", func(t *testing.T) {
		m := validMinder("m1")
		m.Capacity, m.MaxContracts, m.Hours, m.Licence = 7, 12, nil, tagespflege.Licence{}
		var list problem.List
		require.ErrorAs(t, m.Validate(), &list)
		assert.Equal(t, []problem.Code{
			tagespflege.CodeCapacityExceedsLicence,
			tagespflege.CodeContractsExceedLimit,
			tagespflege.CodeLicenceMissing,
			tagespflege.CodeHoursMissing,
		}, list.Codes())
	})

	t.Run("error strings name no person and no address", func(t *testing.T) {
		m := validMinder("m1")
		m.Capacity, m.Address.PostalCode = 9, "x"
		err := m.Validate()
		require.Error(t, err)
		for _, secret := range []string{"Jürgen", "Ößmann", "Kortum", "tagesvater@"} {
			assert.NotContains(t, err.Error(), secret)
		}
	})
}

func TestMinderFreePlaces(t *testing.T) {
	m := validMinder("m1")
	m.Capacity = 3
	require.NoError(t, m.Place("r1", date.New(2026, time.August, 1), time.Date(2026, time.July, 1, 9, 0, 0, 0, time.UTC)))
	tests := []struct {
		name string
		on   date.Date
		want int
	}{
		{"within the licence two of three places are free", date.New(2026, time.August, 1), 2},
		{"on the licence's last day places are still free", date.New(2029, time.December, 31), 2},
		{"after the licence no place is free", date.New(2030, time.January, 1), 0},
		{"before the licence no place is free", date.New(2024, time.December, 31), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, m.FreePlaces(tc.on))
		})
	}
}

func TestAgeRangeTakes(t *testing.T) {
	r := tagespflege.AgeRange{FromMonths: 6, ToMonths: 36}
	birth := date.New(2025, time.March, 31)
	assert.False(t, r.Takes(birth, date.New(2025, time.September, 30)), "five months old is too young")
	assert.True(t, r.Takes(birth, date.New(2025, time.October, 1)), "six months old is taken")
	assert.False(t, r.Takes(birth, date.New(2028, time.March, 31)), "three years old is too old")
}

func TestGroupValidate(t *testing.T) {
	valid := tagespflege.Group{ID: "g1", District: "mitte", MinderIDs: []string{"m1", "m2", "m3"}, Capacity: 9}
	require.NoError(t, valid.Validate())

	tests := []struct {
		name   string
		change func(*tagespflege.Group)
		field  string
		code   problem.Code
		rule   error
	}{
		{"four minders are too many", func(g *tagespflege.Group) { g.MinderIDs = append(g.MinderIDs, "m4") }, "minder_ids", tagespflege.CodeGroupTooManyMinders, tagespflege.ErrLicenceLimit},
		{"ten children exceed the group licence", func(g *tagespflege.Group) { g.Capacity = 10 }, "capacity", tagespflege.CodeGroupCapacityExceeds, tagespflege.ErrLicenceLimit},
		{"no capacity is missing", func(g *tagespflege.Group) { g.Capacity = 0 }, "capacity", tagespflege.CodeGroupCapacityMissing, tagespflege.ErrMissing},
		{"the same minder twice is a duplicate", func(g *tagespflege.Group) { g.MinderIDs = []string{"m1", "m1"} }, "minder_ids[1]", tagespflege.CodeDuplicateMinder, tagespflege.ErrDuplicate},
		{"an empty minder id is missing", func(g *tagespflege.Group) { g.MinderIDs = []string{""} }, "minder_ids[0]", tagespflege.CodeIDMissing, tagespflege.ErrMissing},
		{"more placements than places exceed the capacity", func(g *tagespflege.Group) {
			g.Capacity = 1
			*g = tagespflege.RehydrateGroup(*g, tagespflege.GroupState{Placements: []string{"r1", "r2"}})
		}, "placements", tagespflege.CodeGroupPlacementsExceedCap, tagespflege.ErrLicenceLimit},
		{"a group without district is a field problem", func(g *tagespflege.Group) { g.District = "" }, "district", "required", problem.ErrField},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := valid
			g.MinderIDs = append([]string(nil), valid.MinderIDs...)
			tc.change(&g)
			err := g.Validate()
			assert.ErrorIs(t, err, tc.rule)
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.True(t, list.Has(tc.field, tc.code), "want %s at %s, got %v", tc.code, tc.field, list)
		})
	}
}

func TestLicenceDatesAreDaysOrProblems(t *testing.T) {
	decode := func(t *testing.T, licence string) tagespflege.Minder {
		t.Helper()
		m := validMinder("m1")
		b, err := json.Marshal(m)
		require.NoError(t, err)
		var doc map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(b, &doc))
		doc["licence"] = json.RawMessage(licence)
		b, err = json.Marshal(doc)
		require.NoError(t, err)
		var got tagespflege.Minder
		require.NoError(t, json.Unmarshal(b, &got))
		return got
	}
	t.Run("days are read as written", func(t *testing.T) {
		m := decode(t, `{"valid_from": "2027-02-28", "valid_to": "2030-12-31"}`)
		assert.Equal(t, "2027-02-28", m.Licence.ValidFrom.String())
		assert.Equal(t, "2030-12-31", m.Licence.ValidTo.String())
		assert.NoError(t, m.Validate())
	})
	for _, bad := range []string{"2027-02-30", "2027-13-45", "00000-00", "+0000-00", "27-02-28", "2027-2-28", "morgen"} {
		t.Run(bad+" is no day, reported at its field, not moved", func(t *testing.T) {
			m := decode(t, `{"valid_from": "`+bad+`", "valid_to": "`+bad+`"}`)
			assert.True(t, m.Licence.ValidFrom.IsZero(), "no other day is made of it")
			var list problem.List
			require.ErrorAs(t, m.Validate(), &list)
			assert.Equal(t, []problem.Code{tagespflege.CodeLicenceDate, tagespflege.CodeLicenceDate}, list.Codes())
			assert.True(t, list.Has("licence.valid_from", tagespflege.CodeLicenceDate), list)
			assert.True(t, list.Has("licence.valid_to", tagespflege.CodeLicenceDate), list)
		})
	}
	t.Run("a member that is not a string is an error", func(t *testing.T) {
		var l tagespflege.Licence
		assert.Error(t, json.Unmarshal([]byte(`{"valid_from": 20270228}`), &l))
	})
	t.Run("null leaves the licence as it is", func(t *testing.T) {
		l := validMinder("m1").Licence
		require.NoError(t, json.Unmarshal([]byte(`null`), &l))
		assert.Equal(t, validMinder("m1").Licence, l)
	})
}

func TestMessages(t *testing.T) {
	codes := []problem.Code{
		tagespflege.CodeCapacityMissing, tagespflege.CodeCapacityExceedsLicence, tagespflege.CodeContractsExceedLimit,
		tagespflege.CodeContractsBelowCapacity, tagespflege.CodeLicenceMissing, tagespflege.CodeLicenceReversed,
		tagespflege.CodeLicenceDate, tagespflege.CodeLicenceTooLong, tagespflege.CodePlacementsExceedCap, tagespflege.CodePlacementsNotAllowed,
		tagespflege.CodeDuplicatePlacement, tagespflege.CodeAgesInvalid, tagespflege.CodeHoursMissing,
		tagespflege.CodeHoursInvalid, tagespflege.CodeDuplicateHours, tagespflege.CodeContactMissing,
		tagespflege.CodeGroupTooManyMinders, tagespflege.CodeGroupCapacityMissing, tagespflege.CodeGroupCapacityExceeds,
		tagespflege.CodeDuplicateMinder, tagespflege.CodeGroupNotEmpty, tagespflege.CodeDuplicateOffice,
		tagespflege.CodeDistrictUnknown, tagespflege.CodeActorMissing, tagespflege.CodeStartMissing,
		tagespflege.CodeReasonInvalid, tagespflege.CodeIDMissing, tagespflege.CodeStatusInvalid,
		tagespflege.CodeGroupPlacementsExceedCap,
		problem.CodeOf(tagespflege.ErrNotFound), problem.CodeOf(tagespflege.ErrExists), problem.CodeOf(tagespflege.ErrConflict),
		problem.CodeOf(tagespflege.ErrTransition), problem.CodeOf(tagespflege.ErrMinderFull), problem.CodeOf(tagespflege.ErrLicence),
		problem.CodeOf(tagespflege.ErrDistrict), problem.CodeOf(tagespflege.ErrNotPlaced),
	}
	for _, lang := range []string{"de", "en"} {
		t.Run("every code has a "+lang+" text", func(t *testing.T) {
			assert.Len(t, tagespflege.Messages[lang], len(codes))
			for _, c := range codes {
				assert.NotEmpty(t, tagespflege.Messages[lang][c], c)
				assert.True(t, strings.HasPrefix(string(c), "tagespflege."), c)
			}
		})
	}
	t.Run("the German text fills in the limit", func(t *testing.T) {
		m := validMinder("m1")
		m.Capacity = 6
		var list problem.List
		require.True(t, errors.As(m.Validate(), &list))
		tr := problem.NewTranslator(tagespflege.Messages)
		assert.Equal(t, "Eine Tagespflegeperson darf höchstens 5 Kinder gleichzeitig betreuen (§ 43 Abs. 3 SGB VIII).", tr.Message(list[0], "de"))
	})
}
