package web_test

import (
	"context"
	"crypto/rand"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/notify"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/web"
	"github.com/kitaportal/kitaportal/web/webtest"
)

var (
	pathRe   = regexp.MustCompile(`<path d="([^"]*)" class="district"[^>]*><title>([^<]*)</title></path>`)
	circleRe = regexp.MustCompile(`<circle cx="(\d+)" cy="(\d+)" r="4" class="kita"><title>([^<]*)</title></circle>`)
	numberRe = regexp.MustCompile(`-?\d+`)
)

// box is the smallest box around an SVG path's points.
type box struct{ minX, minY, maxX, maxY int }

func (b box) contains(x, y int) bool { return x >= b.minX && x <= b.maxX && y >= b.minY && y <= b.maxY }

func pathBox(t *testing.T, d string) box {
	t.Helper()
	nums := numberRe.FindAllString(d, -1)
	require.NotEmpty(t, nums)
	require.Zero(t, len(nums)%2, d)
	b := box{minX: 1 << 30, minY: 1 << 30, maxX: -1, maxY: -1}
	for i := 0; i < len(nums); i += 2 {
		x, _ := strconv.Atoi(nums[i])
		y, _ := strconv.Atoi(nums[i+1])
		b = box{min(b.minX, x), min(b.minY, y), max(b.maxX, x), max(b.maxY, y)}
	}
	return b
}

// geoKita is a Kita of Geostadt at a point of a district.
func geoKita(id, name, dist string, lat, lon float64) kita.Kita {
	return kita.Kita{
		ID: id, Name: name, Carrier: kita.Carrier{Name: "Stadt Geostadt", Kind: kita.Municipal},
		Address:  geo.Address{Street: "Hafenstraße", HouseNumber: "1", PostalCode: "12345", City: "Geostadt"},
		District: dist, Location: geo.Point{Lat: lat, Lon: lon},
		MinAgeMonths: 12, Hours: kita.HoursOptions{30, 40}, Capacity: kita.Capacity{Under3: 10, From3: 20},
	}
}

func TestSearchPictureDrawsTheDistricts(t *testing.T) {
	prof, err := municipality.Load(os.DirFS("../municipality/testdata/geostadt"))
	require.NoError(t, err)
	kitas := []kita.Kita{
		geoKita("g1", "Kita Nordlicht", "nord", 50.09, 10.02),
		geoKita("g2", "Kita Südwind", "sued", 50.02, 10.05),
		geoKita("g3", "Kita Inselkinder", "hafen", 50.075, 10.05), // the island in Nord's hole
		geoKita("g4", "Kita Kaimauer", "hafen", 50.03, 10.13),
	}
	cat, err := kita.NewCatalogue(kitas, prof.Registration.Hours)
	require.NoError(t, err)
	clock := func() time.Time { return webtest.Start }
	a, err := app.New(context.Background(), app.Config{Profile: prof, Catalogue: cat, Store: memory.New(), Transport: notify.NewMemoryTransport(), Clock: clock})
	require.NoError(t, err)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	h, err := web.New(a, web.Options{SessionKey: key, Demo: true})
	require.NoError(t, err)
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL + "/kitas?hours=30")
	require.NoError(t, err)
	defer resp.Body.Close()
	var page strings.Builder
	_, err = io.Copy(&page, resp.Body)
	require.NoError(t, err)

	boxes := map[string]box{}
	subpaths := map[string]int{}
	for _, m := range pathRe.FindAllStringSubmatch(page.String(), -1) {
		boxes[m[2]] = pathBox(t, m[1])
		subpaths[m[2]] = strings.Count(m[1], "M")
	}
	t.Run("every district is drawn with its name as the path's title", func(t *testing.T) {
		assert.Len(t, boxes, 3)
		for _, d := range prof.Districts.All() {
			assert.Contains(t, boxes, d.Name)
		}
		assert.Equal(t, 2, subpaths["Nord"], "the outer ring and its hole")
		assert.Equal(t, 2, subpaths["Hafen"], "the island and the quay")
		assert.Equal(t, 1, subpaths["Süd"])
		assert.Contains(t, page.String(), "Lage der gefundenen Kitas in den Stadtbezirken")
	})
	t.Run("every Kita's point falls inside its district's path box", func(t *testing.T) {
		circles := circleRe.FindAllStringSubmatch(page.String(), -1)
		require.Len(t, circles, len(kitas))
		names := map[string]string{}
		for _, k := range kitas {
			d, ok := prof.Districts.Get(k.District)
			require.True(t, ok)
			names[k.Name] = d.Name
		}
		for _, c := range circles {
			x, _ := strconv.Atoi(c[1])
			y, _ := strconv.Atoi(c[2])
			b, ok := boxes[names[c[3]]]
			require.True(t, ok, c[3])
			assert.True(t, b.contains(x, y), "%s at %d,%d outside %s %+v", c[3], x, y, names[c[3]], b)
		}
		south, quay := boxes["Süd"], boxes["Hafen"]
		assert.Less(t, south.maxX, quay.maxX, "the quay lies east of Süd")
	})
}

func TestSearchPictureWithoutBoundariesDrawsOnlyTheKitas(t *testing.T) {
	srv := webtest.New(t)
	v := newVisitor(t, srv)
	_, page := v.get("/kitas?district=I")
	assert.Contains(t, page, `class="kita"`)
	assert.NotContains(t, page, `class="district"`, "Bochum's sample ships no boundaries")
	assert.Contains(t, page, "ohne Stadtbezirksgrenzen")
}
