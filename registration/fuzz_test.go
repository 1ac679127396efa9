package registration_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// decodeSeeds are documents in the shapes that reach Decode: the form's
// own, and the tricks that once slipped through (impossible dates,
// duplicate and differently cased members, invisible characters).
func decodeSeeds(f *testing.F) {
	valid, _ := json.Marshal(validInput())
	f.Add(valid)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"child":{"birth_date":"2024-02-29"},"kitas":["k1","k1","k2","k3","k4","k5","k6"],"hours":30}`))
	f.Add([]byte(`{"child":{"birth_date":"00000-00"}}`))
	f.Add([]byte(`{"child":{"birth_date":"2025-02-29"}}`))
	f.Add([]byte(`{"start":"2025-13-01"}`))
	f.Add([]byte(`{"start":"+12345-06-07"}`))
	f.Add([]byte(`{"start":"-0987-06-05"}`))
	f.Add([]byte(`{"start":"2027-13-45","tagespflege":{"district":"II"}}`))
	f.Add([]byte(`{"consent":true,"consent":false}`))
	f.Add([]byte(`{"Consent":true,"CHILD":{}}`))
	f.Add([]byte(`{"child":{"given_name":"\u202eJ\u200bü\u00adrgen\ufeff","family_name":"\ue000"}}`))
	f.Add([]byte(`{"guardians":[{"given_name":"Anna \"Anni","family_name":"Schmidt","email":"a@example.org"}]}`))
	f.Add([]byte("{\"child\":{\"given_name\":\"J\xffrgen\"}}"))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte(`{"guardians":[{},{},{}],"criteria":{"hardship":true}}`))
	f.Add(bytes.Repeat([]byte("{"), 1000))
}

// FuzzDecode: no document may panic Decode; every rejection is a problem
// list that unwraps to ErrMalformed and never repeats the document.
func FuzzDecode(f *testing.F) {
	decodeSeeds(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		in, err := registration.Decode(bytes.NewReader(doc))
		if err != nil {
			if !errors.Is(err, problem.ErrInvalid) || !errors.Is(err, registration.ErrMalformed) {
				t.Fatalf("decode error is not a malformed-document problem: %v", err)
			}
			var l problem.List
			if !errors.As(err, &l) || len(l) != 1 {
				t.Fatalf("want exactly one problem, got %v", err)
			}
			return
		}
		// What decodes encodes back and decodes to the same input.
		again, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		in2, err := registration.Decode(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("a decoded input does not decode again: %v", err)
		}
		if in2.Start != in.Start || in2.Child.BirthDate != in.Child.BirthDate {
			t.Fatalf("dates changed on the round trip")
		}
	})
}

// FuzzSubmit feeds arbitrary application documents through the decoder and
// the whole validation of Submit: no input may panic, every rejection is a
// problem list (or a state sentinel), and no error repeats the input.
func FuzzSubmit(f *testing.F) {
	decodeSeeds(f)
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		in, err := registration.Decode(bytes.NewReader(doc))
		if err != nil {
			if !errors.Is(err, problem.ErrInvalid) {
				t.Fatalf("decode error is not a problem list: %v", err)
			}
			return
		}
		_, err = fx.svc.SubmitAtCounter(fx.ctx, guardian("fz"), "fz", in)
		if err == nil {
			return
		}
		if !errors.Is(err, problem.ErrInvalid) && !errors.Is(err, registration.ErrDuplicate) && !errors.Is(err, access.ErrDenied) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if n := in.Child.GivenName; len(n) >= 4 && strings.Contains(err.Error(), n) {
			t.Fatalf("error repeats the child's name")
		}
	})
}
