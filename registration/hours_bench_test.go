package registration_test

import (
	"testing"

	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
)

// BenchmarkRoundInstanceBochumPools is BenchmarkRoundInstanceBochum with
// every Kita's places split into pools by care hours (each of the Kita's
// hours, by band) and one place in eight of a pool free only from
// January, and every second family ranking 35 before 45 hours: the
// engine's input as Checker.Instance builds it, and the allocation.
func BenchmarkRoundInstanceBochumPools(b *testing.B) {
	sample, err := bochum.Catalogue()
	if err != nil {
		b.Fatal(err)
	}
	kitas := sample.All()
	for i, k := range kitas {
		kitas[i].Pools = evenPools(k)
	}
	cat, err := kita.NewCatalogue(kitas, kita.NRWHours)
	if err != nil {
		b.Fatal(err)
	}
	const year = "2027/2028"
	apps := bochumRoundApps(cat.All(), year, 8861)
	for i := range apps {
		if i%2 == 0 {
			apps[i].HoursAlternatives = []kita.Hours{45}
		}
	}
	res := benchRoundInstance(b, cat, apps, year)
	b.ReportMetric(float64(res.Statistics.Placed), "placed")
}

// evenPools splits each band's places of k evenly over its hours, one
// place in eight of each pool free only from January 2028.
func evenPools(k kita.Kita) []kita.Pool {
	var out []kita.Pool
	for _, band := range []kita.Band{kita.Under3, kita.From3} {
		n := k.Capacity.Of(band)
		if n == 0 {
			continue
		}
		for i, h := range k.Hours {
			c := n / len(k.Hours)
			if i < n%len(k.Hours) {
				c++
			}
			later := c / 8
			out = append(out, kita.Pool{Band: band, Hours: h, From: "2027-08", Capacity: c - later})
			if later > 0 {
				out = append(out, kita.Pool{Band: band, Hours: h, From: "2028-01", Capacity: later})
			}
		}
	}
	return out
}
