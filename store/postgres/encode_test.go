package postgres

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/registration"
)

// v1Document is an application's document as encoding/json writes it,
// which the adapter wrote before encodeApplication.
func v1Document(t testing.TB, a registration.Application) []byte {
	t.Helper()
	doc, err := json.Marshal(toApplicationDoc(a))
	require.NoError(t, err)
	return doc
}

// TestApplicationDocumentsEncodeAsEncodingJSON checks that encodeApplication
// writes the bytes encoding/json writes, for documents with every field,
// with none, and with the text forms where the two libraries could
// differ: HTML characters, invalid UTF-8, line and paragraph separators,
// control characters, fractions of seconds and time zones.
func TestApplicationDocumentsEncodeAsEncodingJSON(t *testing.T) {
	full := storedApplication()
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	cases := []struct {
		name string
		edit func(a *registration.Application)
	}{
		{"a document with every field is the same", func(*registration.Application) {}},
		{"a start in the year 9 and 10000 is the same", func(a *registration.Application) {
			a.Start, a.Child.BirthDate = date.New(9, time.January, 31), date.New(10000, time.December, 1)
		}},
		{"a document of zero values is the same (omitempty on bools, numbers and texts)", func(a *registration.Application) {
			*a = registration.Application{}
		}},
		{"a submission as the portal makes it is the same", func(a *registration.Application) {
			*a = registration.Rehydrate(registration.Application{
				ID: "0194f3a2-7c1e-7b3d-9a2f-000000000001", Reference: "BO-2027-000001", FamilyID: "F1", Year: "2027/2028",
				Child:       registration.Child{GivenName: "Zeynep", FamilyName: "Yılmaz", BirthDate: date.New(2025, time.March, 3)},
				Start:       date.New(2027, time.August, 1),
				Hours:       35,
				ConsentAt:   time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
				SubmittedAt: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
				UpdatedAt:   time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
			}, registration.Lifecycle{Status: registration.Confirmed, History: []registration.Event{{At: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), Actor: "guardian:g1", To: registration.Submitted}}})
		}},
		{"HTML characters are escaped alike", func(a *registration.Application) {
			a.Child.GivenName, a.Criteria.HardshipReason = "<b>Ben & Emil</b>", "Eltern > 2 & <script>"
		}},
		{"invalid UTF-8 is replaced alike", func(a *registration.Application) {
			a.Child.FamilyName, a.Guardians[0].Phone = "M\xfcller", "\xff\xfe+49"
		}},
		{"line and paragraph separators and control characters are escaped alike", func(a *registration.Application) {
			a.Address.Street, a.Criteria.HardshipReason = "Kortumstraße\u2028 5\u2029", "Zeile 1\nZeile 2\t\x00\x1f\x7f\"\\"
		}},
		{"dates of every width of year are the same", func(a *registration.Application) {
			a.Start, a.Child.BirthDate = date.New(12345, time.June, 7), date.New(-987, time.June, 5)
			a.ConsentAt = time.Date(9, time.January, 31, 0, 0, 0, 0, time.UTC)
		}},
		{"instants in another zone and with nanoseconds are the same", func(a *registration.Application) {
			a.SubmittedAt = time.Date(2026, 11, 25, 10, 0, 0, 1, berlin)
			a.ConsentAt = time.Date(2026, 3, 29, 2, 30, 0, 999999999, time.FixedZone("", 5*3600+1800))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := full
			a.Guardians = append([]registration.Guardian(nil), full.Guardians...)
			tc.edit(&a)
			got, err := encodeApplication(a)
			require.NoError(t, err)
			assert.Equal(t, string(v1Document(t, a)), string(got))
		})
	}
}

// FuzzEncodeApplication checks, for texts of any bytes in the fields a
// family types, and for instants and dates far apart, that
// encodeApplication writes what encoding/json writes.
func FuzzEncodeApplication(f *testing.F) {
	f.Add("Zeynep", "Yılmaz", "ayse@example.org", "medical", int64(0))
	f.Add("<Ben>", "M\xfcller & Co", "\u2028", "\x00\"\\", int64(999999999))
	f.Fuzz(func(t *testing.T, given, family, email, reason string, nanos int64) {
		start := date.New(2027, time.August, 1).Add(date.PeriodOfDays(nanos % 5_000_000))
		a := storedApplication()
		a.Guardians = append([]registration.Guardian(nil), a.Guardians...)
		a.Child.GivenName, a.Child.FamilyName = given, family
		a.Guardians[0].Email, a.Criteria.HardshipReason = email, registration.HardshipReason(reason)
		a.SubmittedAt = time.Unix(1_790_000_000, nanos%1_000_000_000).UTC()
		a.Start = start
		got, err := encodeApplication(a)
		require.NoError(t, err)
		assert.Equal(t, string(v1Document(t, a)), string(got))
	})
}

// BenchmarkEncodeApplications encodes the documents of a Bochum year
// (8,861 applications), as their submissions and a round's publication
// write them: with encoding/json (before) and with encodeApplication.
func BenchmarkEncodeApplications(b *testing.B) {
	const year = 8861
	apps := make([]registration.Application, year)
	for i := range apps {
		apps[i] = storedApplication()
		apps[i].ID = fmt.Sprintf("app-%06d", i)
	}
	for _, tc := range []struct {
		name   string
		encode func(a registration.Application) ([]byte, error)
	}{
		{"encoding_json", func(a registration.Application) ([]byte, error) { return json.Marshal(toApplicationDoc(a)) }},
		{"encodeApplication", encodeApplication},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, a := range apps {
					if _, err := tc.encode(a); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
