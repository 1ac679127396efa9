// Package mailaddr recognizes e-mail addresses of the everyday shape
// without a parser, so that checking the address of every submission and
// every outbox message costs next to nothing; any other text is left to
// the full checks (net/mail, the validator's "email" tag).
//
// # Error contract
//
// Plain answers true or false and never fails: false means only that the
// text is not of the everyday shape, not that it is no address.
package mailaddr

import "strings"

// Plain reports whether s is an address of the everyday shape: a local
// part of ASCII letters, digits, ".", "_", "+" and "-" (no dot first, last
// or twice in a row), "@", and a domain of at least two labels of
// letters, digits and inner hyphens whose last label begins and ends with
// a letter: "ayse@example.org", "m.mueller-2@mail.stadt-bochum.de". Every
// such address is a bare address to net/mail.ParseAddress (its Address is
// s, without a name) and passes the validator's "email" tag; the tests
// check both.
func Plain(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	prev := byte('.')
	for i := 0; i < len(local); i++ {
		c := local[i]
		switch {
		case alnum(c) || c == '_' || c == '+' || c == '-':
		case c == '.' && prev != '.':
		default:
			return false
		}
		prev = c
	}
	if prev == '.' {
		return false
	}
	labels, start := 0, 0
	for i := 0; i <= len(domain); i++ {
		if i < len(domain) && domain[i] != '.' {
			if c := domain[i]; !alnum(c) && c != '-' {
				return false
			}
			continue
		}
		l := domain[start:i]
		if l == "" || !alnum(l[0]) || !alnum(l[len(l)-1]) {
			return false
		}
		labels++
		start = i + 1
	}
	tld := domain[strings.LastIndexByte(domain, '.')+1:]
	return labels >= 2 && letter(tld[0]) && letter(tld[len(tld)-1])
}

func letter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func alnum(c byte) bool { return letter(c) || c >= '0' && c <= '9' }
