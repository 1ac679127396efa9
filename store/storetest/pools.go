package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

// RunPools checks the place ledger of Kitas whose places are split into
// pools by care hours and month (kita.Pool): each pool is a row of its
// own, taken and given back alone, listed in the order of Kita, band,
// hours and month; and an offer of a pool with the family's ranked hours
// reads back as stored.
func RunPools(t *testing.T, newStores Factory) {
	t.Run("each pool's places are taken and given back alone", func(t *testing.T) { testPoolsTakenAlone(t, newStores) })
	t.Run("an offer of a pool and the ranked hours read back as stored", func(t *testing.T) { testPoolsOfferReadsBack(t, newStores) })
}

func poolPlace(kitaID string, band kita.Band, hours kita.Hours, from string) registration.PlaceKey {
	return registration.PlaceKey{KitaID: kitaID, Year: regYear, Band: band, Hours: hours, From: from}
}

func testPoolsTakenAlone(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	band := regKey("k1", kita.Under3)
	h35 := poolPlace("k1", kita.Under3, 35, "2021-08")
	h35jan := poolPlace("k1", kita.Under3, 35, "2022-01")
	h45 := poolPlace("k1", kita.Under3, 45, "2021-08")
	regOK(t, "SetPlaces", s.SetPlaces(ctx,
		registration.Places{PlaceKey: h45, Capacity: 1},
		registration.Places{PlaceKey: h35jan, Capacity: 2},
		registration.Places{PlaceKey: band, Capacity: 0},
		registration.Places{PlaceKey: h35, Capacity: 1}))
	regOK(t, "take the 35-hour place from August", regTake(ctx, s, h35))
	regIs(t, "take a second 35-hour place from August", regTake(ctx, s, h35), registration.ErrNoPlace)
	regIs(t, "take a place of the band without a pool", regTake(ctx, s, band), registration.ErrNoPlace)
	regOK(t, "take a 35-hour place from January", regTake(ctx, s, h35jan))
	regOK(t, "take the 45-hour place", regTake(ctx, s, h45))
	regOK(t, "give the 45-hour place back", regRelease(ctx, s, h45))
	regOK(t, "SetPlaces again keeps what is taken", s.SetPlaces(ctx, registration.Places{PlaceKey: h35jan, Capacity: 3}))
	got, err := s.Places(ctx, regYear)
	regOK(t, "Places", err)
	want := []registration.Places{
		{PlaceKey: band, Capacity: 0},
		{PlaceKey: h35, Capacity: 1, Taken: 1},
		{PlaceKey: h35jan, Capacity: 3, Taken: 1},
		{PlaceKey: h45, Capacity: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Places:\n got %+v\nwant %+v", got, want)
	}
}

func testPoolsOfferReadsBack(t *testing.T, newStores Factory) {
	ctx := context.Background()
	s := newStores(t).Registrations
	want := regApp("a1", "f1", "child-1", 0, "k1", "k2")
	want.HoursAlternatives = []kita.Hours{45, 25}
	want.Choices[0].Status = registration.ChoiceOffered
	want = regWith(want, func(l *registration.Lifecycle) {
		l.Status = registration.Offered
		l.Offer = &registration.Offer{KitaID: "k1", Band: kita.Under3, Hours: 45, From: "2022-01", Round: 3,
			At: regT0.Add(72 * time.Hour), RespondBy: date.New(2021, time.March, 20)}
		l.Version = 1
	})
	regInsert(t, s, want)
	got, err := s.Application(ctx, "a1")
	regOK(t, "Application", err)
	regSame(t, "Application", got, want)
	if o := got.Offer(); o == nil || o.Hours != 45 || o.From != "2022-01" {
		t.Errorf("Offer: got %+v, want 45 hours from 2022-01", o)
	}
	if r := got.RankedHours(); !reflect.DeepEqual(r, []kita.Hours{got.Hours, 45, 25}) {
		t.Errorf("RankedHours: got %v", r)
	}
}
