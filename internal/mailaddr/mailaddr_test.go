package mailaddr_test

import (
	"math/rand/v2"
	"net/mail"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/internal/mailaddr"
	"github.com/kitaportal/kitaportal/problem"
)

// bare is what notify requires of a recipient.
func bare(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func TestPlainAddressesAreAddresses(t *testing.T) {
	for _, s := range []string{"ayse@example.org", "a.b-c_d+e@mail.stadt-bochum.de", "x@y.z", "1@2.de", "m.mueller-2@kita.bochum.de"} {
		assert.True(t, mailaddr.Plain(s), s)
		assert.True(t, bare(s), s)
		assert.True(t, problem.Valid(s, "email"), s)
	}
	for _, s := range []string{"", "@example.org", "ayse", "ayse@", "ayse@localhost", ".a@b.de", "a.@b.de", "a..b@c.de",
		"a@b..de", "a@-b.de", "a@b-.de", "a@b.d1", "a@b.1d", "a@b.de.", "Ayşe <a@b.de>", `"a b"@c.de`, "a@müller.de", "a b@c.de", "a@b@c.de"} {
		assert.False(t, mailaddr.Plain(s), s)
	}
}

// TestPlainIsNeverWrong: on random texts of the characters addresses are
// made of, whatever Plain takes, net/mail and the validator take too.
func TestPlainIsNeverWrong(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 14))
	pick := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	taken := 0
	for range 200000 {
		s := pick("abZ09._+-.~!\"<ä ", 1+r.IntN(6)) + "@" + pick("ab09-..ä_", 1+r.IntN(10)) + pick("de.-", r.IntN(3))
		if mailaddr.Plain(s) {
			taken++
			require.True(t, bare(s), "%q", s)
			require.True(t, problem.Valid(s, "email"), "%q", s)
		}
	}
	require.Greater(t, taken, 50)
}

func FuzzPlain(f *testing.F) {
	f.Add("ayse@example.org")
	f.Add("a.b-c_d+e@mail.stadt-bochum.de")
	f.Fuzz(func(t *testing.T, s string) {
		if mailaddr.Plain(s) {
			require.True(t, bare(s), "%q", s)
			require.True(t, problem.Valid(s, "email"), "%q", s)
		}
	})
}
