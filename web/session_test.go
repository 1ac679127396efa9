package web

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
)

func testSessions(now time.Time) sessions {
	return sessions{key: []byte("0123456789abcdef0123456789abcdef"), clock: func() time.Time { return now }}
}

func TestSessions(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	m := testSessions(now)
	s := m.newSession(access.NewFachberatung("fb-1", "III"))
	v := m.encode(s)

	t.Run("a signed cookie gives back its actor", func(t *testing.T) {
		got, err := m.decode(v)
		require.NoError(t, err)
		assert.Equal(t, access.NewFachberatung("fb-1", "III"), got.actor())
	})
	t.Run("another key's cookie, a changed payload or an expired one is no session", func(t *testing.T) {
		other := sessions{key: []byte("another key of thirty-two bytes!"), clock: m.clock}
		_, err := other.decode(v)
		assert.ErrorIs(t, err, errSession)
		forged := m.encode(session{Role: int(access.Jugendamt), ID: "x", Nonce: "n", Expires: s.Expires})
		_, err = m.decode(forged[:len(forged)-2] + "AA")
		assert.ErrorIs(t, err, errSession)
		late := testSessions(now.Add(sessionTTL + time.Second))
		_, err = late.decode(v)
		assert.ErrorIs(t, err, errSession)
	})
	t.Run("a form token belongs to one session", func(t *testing.T) {
		assert.True(t, m.checkCSRF(s, m.csrf(s)))
		s2 := m.newSession(access.NewFachberatung("fb-1", "III"))
		assert.False(t, m.checkCSRF(s2, m.csrf(s)))
		assert.False(t, m.checkCSRF(s, ""))
	})
}

// FuzzSessionDecode: any cookie value decodes without panic, and only a
// value this key signed yields a session.
func FuzzSessionDecode(f *testing.F) {
	m := testSessions(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	f.Add(m.encode(m.newSession(access.NewJugendamt("ja"))))
	f.Add("e30.AAAA")
	f.Add("..")
	f.Add("")
	f.Fuzz(func(t *testing.T, v string) {
		s, err := m.decode(v)
		if err != nil {
			return
		}
		if !s.actor().Valid() {
			t.Fatalf("decoded an invalid actor from %q", v)
		}
	})
}

func TestFieldID(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"guardians[0].email", "guardians-0-email"},
		{"child.birth_date", "child-birth_date"},
		{"kitas[3]", "kitas-3"},
		{"kitas[9]", "kitas-0"},
		{"kitas", "kitas-0"},
		{"guardians", "guardians-0-given_name"},
		{"address.postal_code", "address-postal_code"},
		{"tagespflege.district", "tagespflege-district"},
		{"", "registration-form"},
		{"]][[..", "registration-form"},
	} {
		t.Run("the path "+tc.path+" links to "+tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, fieldID(tc.path, 5))
		})
	}
}

// FuzzFormInput: whatever a browser posts, reading the registration form
// does not panic, every problem it reports names a field, and every field
// path links to an id the form has (or the form itself).
func FuzzFormInput(f *testing.F) {
	f.Add("2025-03-14", "2027-08-01", "35", "44787", "BO-001", "on")
	f.Add("14.03.2025", "", "fünf", "", "", "")
	f.Add("\x00", "9999-99-99", "-1", "4478\u0307", "]]", "off")
	p := &portal{}
	f.Fuzz(func(t *testing.T, birth, start, hours, postal, kita, check string) {
		v := map[string][]string{
			"child_birth": {birth}, "start": {start}, "hours": {hours}, "postal_code": {postal},
			"consent": {check}, "tagespflege": {check}, "g1_email": {kita},
		}
		in, local := p.input(v, []string{kita, "", kita})
		if len(in.Guardians) == 0 {
			t.Fatal("the first guardian is always read")
		}
		for _, q := range local {
			if q.Field == "" || q.Code != codeFormat {
				t.Fatalf("problem without field or with another code: %+v", q)
			}
			if id := fieldID(q.Field, 5); id == "registration-form" {
				t.Fatalf("%s links to no field", q.Field)
			}
		}
	})
}

func TestLocationsStayInsideThePicture(t *testing.T) {
	all := []kita.Kita{
		{ID: "a", Location: geo.Point{Lat: 51.40, Lon: 7.10}},
		{ID: "b", Location: geo.Point{Lat: 51.55, Lon: 7.35}},
		{ID: "c"}, // no location
	}
	hits := []kita.Hit{{Kita: all[0]}, {Kita: all[1]}, {Kita: all[2]}}
	pts := locations(all, hits)
	require.Len(t, pts, 2, "a Kita without a location is left out")
	for _, p := range pts {
		assert.True(t, p.X >= 10 && p.X <= 390 && p.Y >= 10 && p.Y <= 290, "%+v", p)
	}
	assert.Less(t, pts[1].Y, pts[0].Y, "north is up")
	assert.Less(t, pts[0].X, pts[1].X, "east is right")
	assert.Nil(t, locations(all[2:], hits[2:]), "no extent, no picture")
}
