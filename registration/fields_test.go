package registration

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/problem"
)

// fieldInput is a valid input as the portal's form sends it.
func fieldInput() Input {
	return Input{
		IdempotencyKey: "form-7f3a",
		Child:          ChildInput{GivenName: "Jürgen", FamilyName: "Ößmann-Çelik"},
		Guardians: []GuardianInput{{
			GivenName: "Ayşe", FamilyName: "Ößmann-Çelik", Email: "ayse@example.org", Phone: "+4923412345678", Language: "de",
		}},
		Address:  geo.Address{Street: "Hauptstraße", HouseNumber: "12a", PostalCode: "44787", City: "Bochum"},
		Hours:    35,
		Kitas:    []string{"k1", "k2", "k3"},
		Criteria: CriteriaInput{SiblingKitaIDs: []string{"k2"}},
	}
}

// byTags is what the validator makes of the input's tags.
func byTags(in Input) problem.List {
	var c problem.Collector
	c.Merge("", problem.Struct(&in))
	l, _ := c.Err().(problem.List)
	return l
}

func byChecks(in Input) problem.List {
	var c problem.Collector
	checkFields(&c, &in)
	l, _ := c.Err().(problem.List)
	return l
}

// TestFieldChecksMatchTheTags: the field checks find exactly the problems
// the validator finds from the tags (fields, codes, parameters, order), on
// every kind of bad input the tags reject and on valid ones.
func TestFieldChecksMatchTheTags(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ä", n) }
	cases := map[string]func(*Input){
		"a valid input is taken":                      func(*Input) {},
		"an empty input is missing everything":        func(in *Input) { *in = Input{} },
		"an idempotency key of 101 characters":        func(in *Input) { in.IdempotencyKey = strings.Repeat("k", 101) },
		"an idempotency key with an umlaut":           func(in *Input) { in.IdempotencyKey = "schlüssel" },
		"an idempotency key of 101 umlauts":           func(in *Input) { in.IdempotencyKey = long(101) },
		"names of 100 umlauts are taken":              func(in *Input) { in.Child.GivenName = long(100); in.Guardians[0].FamilyName = long(100) },
		"names of 101 umlauts are too long":           func(in *Input) { in.Child.GivenName = long(101); in.Guardians[0].FamilyName = long(101) },
		"no guardian list":                            func(in *Input) { in.Guardians = nil },
		"an empty guardian list":                      func(in *Input) { in.Guardians = []GuardianInput{} },
		"three guardians, each broken":                func(in *Input) { in.Guardians = make([]GuardianInput, 3) },
		"two guardians, the second empty":             func(in *Input) { in.Guardians = append(in.Guardians, GuardianInput{}) },
		"a language nobody offers":                    func(in *Input) { in.Guardians[0].Language = "fr" },
		"a language in capitals":                      func(in *Input) { in.Guardians[0].Language = "DE" },
		"a phone with a slash":                        func(in *Input) { in.Guardians[0].Phone = "0234/12345" },
		"a phone of 31 digits":                        func(in *Input) { in.Guardians[0].Phone = strings.Repeat("1", 31) },
		"a short national phone number is taken":      func(in *Input) { in.Guardians[0].Phone = "0234123" },
		"a phone with a decimal point is taken":       func(in *Input) { in.Guardians[0].Phone = "-12.5" },
		"a phone of a plus alone":                     func(in *Input) { in.Guardians[0].Phone = "+" },
		"a phone with a trailing point":               func(in *Input) { in.Guardians[0].Phone = "123." },
		"an e-mail without an at":                     func(in *Input) { in.Guardians[0].Email = "ayse.example.org" },
		"an e-mail with a display name":               func(in *Input) { in.Guardians[0].Email = "Ayşe <ayse@example.org>" },
		"an e-mail with an umlaut domain is taken":    func(in *Input) { in.Guardians[0].Email = "ayse@müller.de" },
		"an e-mail with a quoted local part is taken": func(in *Input) { in.Guardians[0].Email = `"ayse x"@example.org` },
		"an e-mail without a top-level domain":        func(in *Input) { in.Guardians[0].Email = "ayse@localhost" },
		"an e-mail of 255 characters":                 func(in *Input) { in.Guardians[0].Email = strings.Repeat("a", 243) + "@example.org" },
		"an e-mail with two dots in a row":            func(in *Input) { in.Guardians[0].Email = "ayse..x@example.org" },
		"an e-mail with a numeric top-level domain":   func(in *Input) { in.Guardians[0].Email = "ayse@example.123" },
		"an e-mail with a trailing dot":               func(in *Input) { in.Guardians[0].Email = "ayse@example.org." },
		"no street, city or postal code":              func(in *Input) { in.Address = geo.Address{} },
		"a postal code of letters":                    func(in *Input) { in.Address.PostalCode = "ABCDE" },
		"a postal code of four digits":                func(in *Input) { in.Address.PostalCode = "4478" },
		"a postal code with a sign is taken":          func(in *Input) { in.Address.PostalCode = "+4478" },
		"a postal code with a decimal point is taken": func(in *Input) { in.Address.PostalCode = "44.78" },
		"a house number of 21 characters":             func(in *Input) { in.Address.HouseNumber = strings.Repeat("1", 21) },
		"no hours":                                    func(in *Input) { in.Hours = 0 },
		"51 Kitas":                                    func(in *Input) { in.Kitas = make([]string, 51) },
		"an empty and an overlong Kita id":            func(in *Input) { in.Kitas = []string{"", strings.Repeat("k", 65)} },
		"an empty Tagespflege district":               func(in *Input) { in.Tagespflege = &TagespflegeWish{} },
		"a Tagespflege district of 17 characters":     func(in *Input) { in.Tagespflege = &TagespflegeWish{District: long(17)} },
		"51 sibling Kitas":                            func(in *Input) { in.Criteria.SiblingKitaIDs = make([]string, 51) },
		"an empty sibling Kita":                       func(in *Input) { in.Criteria.SiblingKitaIDs = []string{""} },
		"a hardship reason of 33 characters":          func(in *Input) { in.Criteria.HardshipReason = HardshipReason(long(33)) },
		"everything wrong at once keeps the order": func(in *Input) {
			*in = Input{IdempotencyKey: "ü", Guardians: []GuardianInput{{Email: "x"}}, Kitas: []string{""}, Tagespflege: &TagespflegeWish{}}
		},
		"invalid UTF-8 counts bytes as the validator": func(in *Input) { in.Child.GivenName = strings.Repeat("\xff", 101) },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			in := fieldInput()
			mutate(&in)
			want := byTags(in)
			if strings.HasSuffix(name, "taken") {
				require.Empty(t, want, "the case must be good input")
			} else {
				require.NotEmpty(t, want, "the case must be bad input")
			}
			assert.Equal(t, want, byChecks(in))
		})
	}
}

// TestEmailCheckAgreesWithTheValidator: random texts of the characters
// addresses are made of are judged as the validator judges them.
func TestEmailCheckAgreesWithTheValidator(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 14))
	const alphabet = "abZ09._+-@@..-ä\"<> "
	for range 20000 {
		b := make([]byte, 1+r.IntN(16))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		require.Equal(t, problem.Valid(string(b), "email"), isEmail(string(b)), "%q", b)
	}
}

// FuzzFieldChecks: on any texts the field checks and the tags agree.
func FuzzFieldChecks(f *testing.F) {
	f.Add("k", "Jürgen", "ayse@example.org", "+4923412345678", "de", "44787", "k1", "")
	f.Add("ü", "", "a@b", "12.5", "DE", "4478a", "", "härte")
	f.Fuzz(func(t *testing.T, key, name, email, phone, lang, postal, kita, reason string) {
		in := fieldInput()
		in.IdempotencyKey, in.Child.GivenName = key, name
		in.Guardians[0].Email, in.Guardians[0].Phone, in.Guardians[0].Language = email, phone, lang
		in.Address.PostalCode, in.Address.HouseNumber = postal, kita
		in.Kitas = []string{kita, name}
		in.Tagespflege = &TagespflegeWish{District: reason}
		in.Criteria.HardshipReason = HardshipReason(reason)
		assert.Equal(t, byTags(in), byChecks(in))
	})
}
