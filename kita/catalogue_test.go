package kita_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/problem"
)

var rathaus = geo.Point{Lat: 51.4818, Lon: 7.2162}

func sample(id, name string, lat, lon float64) kita.Kita {
	return kita.Kita{
		ID: id, Name: name,
		Carrier:  kita.Carrier{Name: "Stadt Bochum", Kind: kita.Municipal},
		Address:  geo.Address{Street: "Hauptstraße", HouseNumber: "1", PostalCode: "44787", City: "Bochum"},
		District: "I", Location: geo.Point{Lat: lat, Lon: lon},
		MinAgeMonths: 12, Hours: kita.HoursOptions{25, 35, 45},
		Capacity: kita.Capacity{Under3: 10, From3: 40},
	}
}

func testCatalogue(t testing.TB) *kita.Catalogue {
	a := sample("k1", "Zwergenland", 51.4830, 7.2170) // ~150 m from the Rathaus
	b := sample("k2", "Ärztehaus-Kita", 51.4900, 7.2300)
	b.District, b.Address.PostalCode = "III", "44791"
	b.Hours = kita.HoursOptions{35, 45}
	c := sample("k3", "Arche Noah", 51.4500, 7.0100) // Wattenscheid, ~15 km
	c.District, c.Address.PostalCode = "II", "44866"
	c.Carrier.Kind = kita.Catholic
	c.MinAgeMonths, c.Capacity = 36, kita.Capacity{From3: 50}
	e := sample("k4", "Bärenhöhle", 51.4830, 7.2170) // same place as k1
	e.Closed = true
	f := sample("k5", "Ohne Karte", 0, 0)
	cat, err := kita.NewCatalogue([]kita.Kita{c, a, e, b, f}, kita.NRWHours)
	require.NoError(t, err)
	return cat
}

func ids(hits []kita.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Kita.ID)
	}
	return out
}

func TestSearch(t *testing.T) {
	cat := testCatalogue(t)
	child := &kita.ChildAt{Birth: d(2023, 3, 1), On: d(2025, 8, 1)} // 2;05, U3
	near := rathaus
	tests := []struct {
		name  string
		q     kita.Query
		ids   []string
		total int
	}{
		{"the zero query finds open Kitas in German name order", kita.Query{}, []string{"k3", "k2", "k5", "k1"}, 4},
		{"closed Kitas come when asked", kita.Query{IncludeClosed: true}, []string{"k3", "k2", "k4", "k5", "k1"}, 5},
		{"a district narrows", kita.Query{District: "II"}, []string{"k3"}, 1},
		{"a postal code narrows", kita.Query{PostalCode: "44791"}, []string{"k2"}, 1},
		{"a carrier kind narrows", kita.Query{Carrier: kita.Catholic}, []string{"k3"}, 1},
		{"hours narrow", kita.Query{Hours: 25}, []string{"k3", "k5", "k1"}, 3},
		{"a two-year-old is not taken from 3", kita.Query{Child: child}, []string{"k2", "k5", "k1"}, 3},
		{"a point orders by distance and drops Kitas without location", kita.Query{Near: &near}, []string{"k1", "k2", "k3"}, 3},
		{"a radius keeps the near ones", kita.Query{Near: &near, RadiusKm: 2}, []string{"k1", "k2"}, 2},
		{"paging gives the second page and the total", kita.Query{Offset: 1, Limit: 2}, []string{"k2", "k5"}, 4},
		{"paging past the end gives an empty page", kita.Query{Offset: 10}, nil, 4},
		{"paging by distance", kita.Query{Near: &near, Offset: 2, Limit: 1}, []string{"k3"}, 3},
		{"an equal distance falls back to the name", kita.Query{Near: &near, RadiusKm: 1, IncludeClosed: true}, []string{"k4", "k1"}, 2},
		{"an invalid query finds nothing", kita.Query{Limit: -1}, nil, 0},
		{"a radius without a point finds nothing", kita.Query{RadiusKm: 3}, nil, 0},
		{"free places only where reported", kita.Query{WithFreePlaces: true}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := cat.Search(tc.q)
			assert.Equal(t, tc.ids, ids(page.Items))
			assert.Equal(t, tc.total, page.Total)
		})
	}
	t.Run("distances are reported in km", func(t *testing.T) {
		page := cat.Search(kita.Query{Near: &near})
		require.Len(t, page.Items, 3)
		assert.InDelta(t, 0.15, page.Items[0].DistanceKm, 0.05)
		assert.InDelta(t, 14.5, page.Items[2].DistanceKm, 1)
	})
	t.Run("Nearest gives the n nearest open Kitas", func(t *testing.T) {
		assert.Equal(t, []string{"k1", "k2"}, ids(cat.Nearest(rathaus, 2)))
		assert.Nil(t, cat.Nearest(rathaus, 0))
	})
}

func TestCatalogueLookups(t *testing.T) {
	cat := testCatalogue(t)
	t.Run("Get returns a copy", func(t *testing.T) {
		k, ok := cat.Get("k1")
		require.True(t, ok)
		k.Hours[0] = 99
		k.Name = "changed"
		again, _ := cat.Get("k1")
		assert.Equal(t, kita.Hours(25), again.Hours[0])
		assert.Equal(t, "Zwergenland", again.Name)
	})
	t.Run("Get of an unknown id finds nothing", func(t *testing.T) {
		_, ok := cat.Get("nope")
		assert.False(t, ok)
	})
	t.Run("All is ordered by id", func(t *testing.T) {
		var got []string
		for _, k := range cat.All() {
			got = append(got, k.ID)
		}
		assert.Equal(t, []string{"k1", "k2", "k3", "k4", "k5"}, got)
		assert.Equal(t, 5, cat.Len())
	})
}

func TestNewCatalogueRejects(t *testing.T) {
	good := sample("k1", "A", 51.5, 7.2)
	bad := sample("", "", 95, 7.2)
	bad.Hours = kita.HoursOptions{30}
	_, err := kita.NewCatalogue([]kita.Kita{good, good, bad}, kita.NRWHours)
	require.ErrorIs(t, err, problem.ErrInvalid)
	require.ErrorIs(t, err, kita.ErrFacility)
	require.ErrorIs(t, err, kita.ErrDuplicate)
	require.ErrorIs(t, err, kita.ErrHours)
	var l problem.List
	require.ErrorAs(t, err, &l)
	for _, want := range []struct {
		field string
		code  problem.Code
	}{
		{"kitas[1].id", kita.CodeIDDuplicate},
		{"kitas[2].id", kita.CodeIDMissing},
		{"kitas[2].name", kita.CodeNameMissing},
		{"kitas[2].hours[0]", kita.CodeHoursNotOffered},
		{"kitas[2].location", kita.CodeLocation},
	} {
		assert.True(t, l.Has(want.field, want.code), "%s %s in %v", want.field, want.code, l)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(k *kita.Kita)
		field string
		code  problem.Code
		rule  error
	}{
		{"an id with a space", func(k *kita.Kita) { k.ID = "a b" }, "id", kita.CodeIDInvalid, kita.ErrMalformed},
		{"a blank name", func(k *kita.Kita) { k.Name = "  " }, "name", kita.CodeNameMissing, kita.ErrMissing},
		{"no carrier kind", func(k *kita.Kita) { k.Carrier.Kind = 0 }, "carrier.kind", kita.CodeCarrierKind, kita.ErrMalformed},
		{"no hours", func(k *kita.Kita) { k.Hours = nil }, "hours", kita.CodeHoursMissing, kita.ErrMissing},
		{"hours twice", func(k *kita.Kita) { k.Hours = kita.HoursOptions{35, 35} }, "hours[1]", kita.CodeHoursDuplicate, kita.ErrDuplicate},
		{"negative places", func(k *kita.Kita) { k.Capacity.Under3 = -1 }, "capacity.u3", kita.CodeCapacityInvalid, kita.ErrCapacity},
		{"no places", func(k *kita.Kita) { k.Capacity = kita.Capacity{} }, "capacity", kita.CodeCapacityEmpty, kita.ErrMissing},
		{"a maximum age below the minimum", func(k *kita.Kita) { k.MaxAgeMonths = 6 }, "max_age_months", kita.CodeAgeRange, kita.ErrAgeRange},
		{"more free places than places", func(k *kita.Kita) { k.FreePlaces.From3 = 51 }, "free_places", kita.CodeFreePlaces, kita.ErrCapacity},
		{"closing before opening", func(k *kita.Kita) { k.Opening = kita.OpeningHours{Opens: "16:00", Close: "07:00"} }, "opening", kita.CodeOpening, kita.ErrMalformed},
		{"a malformed opening time", func(k *kita.Kita) { k.Opening = kita.OpeningHours{Opens: "7 Uhr", Close: "16:00"} }, "opening.opens", kita.CodeOpening, kita.ErrMalformed},
		{"an address without postal code", func(k *kita.Kita) { k.Address.PostalCode = "" }, "address.postal_code", "required", problem.ErrField},
		{"more inclusion places than places", func(k *kita.Kita) { k.Profile.InclusionPlaces = 51 }, "profile.inclusion_places", kita.CodeProfile, kita.ErrCapacity},
	}
	for _, tc := range tests {
		t.Run("it rejects "+tc.name, func(t *testing.T) {
			k := sample("k1", "Zwergenland", 51.5, 7.2)
			tc.edit(&k)
			err := k.Validate(kita.NRWHours)
			require.ErrorIs(t, err, tc.rule)
			var l problem.List
			require.ErrorAs(t, err, &l)
			assert.True(t, l.Has(tc.field, tc.code), "got %v", l)
			assert.NotContains(t, err.Error(), "Zwergenland", "no input values in errors")
		})
	}
	t.Run("it accepts a complete Kita", func(t *testing.T) {
		k := sample("k1", "Zwergenland", 51.5, 7.2)
		k.Opening = kita.OpeningHours{Days: []time.Weekday{time.Monday, time.Friday}, Opens: "07:00", Close: "16:30"}
		require.NoError(t, k.Validate(kita.NRWHours))
		require.NoError(t, k.Validate(nil))
	})
}

func TestMutations(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	t.Run("unknown ids give ErrNotFound", func(t *testing.T) {
		cat := testCatalogue(t)
		require.ErrorIs(t, cat.SetClosed("nope", true), kita.ErrNotFound)
		require.ErrorIs(t, cat.UpdateProfile("nope", kita.PublicProfile{}), kita.ErrNotFound)
		require.ErrorIs(t, cat.ReportFreePlaces("nope", kita.Capacity{}, t0), kita.ErrNotFound)
	})
	t.Run("a free-place report is stored with its time and found by search", func(t *testing.T) {
		cat := testCatalogue(t)
		require.NoError(t, cat.ReportFreePlaces("k1", kita.Capacity{Under3: 2}, t0.In(time.FixedZone("CET", 3600))))
		k, _ := cat.Get("k1")
		assert.Equal(t, 2, k.FreePlaces.Under3)
		assert.Equal(t, time.UTC, k.FreePlacesAt.Location())
		assert.Equal(t, []string{"k1"}, ids(cat.Search(kita.Query{WithFreePlaces: true}).Items))
	})
	t.Run("an older report is refused as stale", func(t *testing.T) {
		cat := testCatalogue(t)
		require.NoError(t, cat.ReportFreePlaces("k1", kita.Capacity{Under3: 2}, t0))
		require.ErrorIs(t, cat.ReportFreePlaces("k1", kita.Capacity{Under3: 5}, t0.Add(-time.Hour)), kita.ErrStaleReport)
		k, _ := cat.Get("k1")
		assert.Equal(t, 2, k.FreePlaces.Under3)
	})
	t.Run("a bad report lists its problems", func(t *testing.T) {
		cat := testCatalogue(t)
		err := cat.ReportFreePlaces("k1", kita.Capacity{Under3: -1}, time.Time{})
		var l problem.List
		require.ErrorAs(t, err, &l)
		assert.True(t, l.Has("free_places.u3", kita.CodeFreePlaces))
		assert.True(t, l.Has("at", kita.CodeReportTimeMissing))
	})
	t.Run("closing hides a Kita from search, not from Get", func(t *testing.T) {
		cat := testCatalogue(t)
		require.NoError(t, cat.SetClosed("k1", true))
		assert.NotContains(t, ids(cat.Search(kita.Query{}).Items), "k1")
		k, ok := cat.Get("k1")
		require.True(t, ok)
		assert.True(t, k.Closed)
	})
	t.Run("a profile is validated and stored as a copy", func(t *testing.T) {
		cat := testCatalogue(t)
		p := kita.PublicProfile{Text: "Wir sind ...", Languages: []string{"de", "tr"}}
		require.NoError(t, cat.UpdateProfile("k1", p))
		p.Languages[0] = "xx"
		k, _ := cat.Get("k1")
		assert.Equal(t, []string{"de", "tr"}, k.Profile.Languages)
		err := cat.UpdateProfile("k1", kita.PublicProfile{InclusionPlaces: -1})
		require.ErrorIs(t, err, kita.ErrCapacity)
	})
	t.Run("Replace swaps everything or nothing", func(t *testing.T) {
		cat := testCatalogue(t)
		bad := sample("", "x", 51, 7)
		require.Error(t, cat.Replace([]kita.Kita{sample("n1", "Neu", 51, 7), bad}))
		assert.Equal(t, 5, cat.Len(), "nothing changed")
		require.NoError(t, cat.Replace([]kita.Kita{sample("n1", "Neu", 51, 7)}))
		assert.Equal(t, 1, cat.Len())
		_, ok := cat.Get("k1")
		assert.False(t, ok)
	})
	t.Run("readers and writers may run at once", func(t *testing.T) {
		cat := testCatalogue(t)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				for j := range 50 {
					switch i % 4 {
					case 0:
						_ = cat.ReportFreePlaces("k1", kita.Capacity{Under3: j % 5}, t0.Add(time.Duration(j)*time.Minute))
					case 1:
						_ = cat.Replace([]kita.Kita{sample("k1", "A", 51.5, 7.2), sample("k2", "B", 51.4, 7.1)})
					case 2:
						cat.Search(kita.Query{Near: &rathaus, Limit: 5})
					default:
						cat.Get("k1")
						cat.All()
					}
				}
			})
		}
		wg.Wait()
	})
}

func TestMessages(t *testing.T) {
	tr := problem.NewTranslator(kita.Messages)
	for _, code := range kita.AllCodes() {
		for _, lang := range []string{"de", "en"} {
			t.Run(fmt.Sprintf("%s has a %s text", code, lang), func(t *testing.T) {
				_, ok := kita.Messages[lang][code]
				assert.True(t, ok)
				assert.NotEqual(t, string(code), tr.Message(problem.Problem{Code: code}, lang))
			})
		}
	}
}

// nrw builds n Kitas spread over North Rhine-Westphalia, deterministically.
func nrw(n int) []kita.Kita {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]kita.Kita, n)
	for i := range out {
		out[i] = sample("nrw-"+strconv.Itoa(i), "Kita "+strconv.Itoa(r.IntN(100000)), 50.3+r.Float64()*1.9, 5.9+r.Float64()*3.5)
		out[i].MinAgeMonths = []int{4, 12, 24, 36}[r.IntN(4)]
	}
	return out
}

// BenchmarkSearch searches all Kitas of NRW (about 10,500) by distance from
// Bochum's town hall, a page of 20.
func BenchmarkSearch(b *testing.B) {
	cat, err := kita.NewCatalogue(nrw(10500), kita.NRWHours)
	require.NoError(b, err)
	child := &kita.ChildAt{Birth: d(2023, 3, 1), On: d(2025, 8, 1)}
	queries := []struct {
		name string
		q    kita.Query
	}{
		{"within 5 km, page 1", kita.Query{Near: &rathaus, RadiusKm: 5, Limit: 20}},
		{"within 25 km, page 3, child and hours", kita.Query{Near: &rathaus, RadiusKm: 25, Child: child, Hours: 35, Offset: 40, Limit: 20}},
		{"all of NRW by distance, page 1", kita.Query{Near: &rathaus, Limit: 20}},
		{"all of NRW by name, page 10", kita.Query{Offset: 180, Limit: 20}},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cat.Search(q.q)
			}
		})
	}
	b.Run("Get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			cat.Get("nrw-5000")
		}
	})
}
