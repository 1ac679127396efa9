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

// FuzzSubmit feeds arbitrary application documents through the decoder and
// the whole validation of Submit: no input may panic, every rejection is a
// problem list (or a state sentinel), and no error repeats the input.
func FuzzSubmit(f *testing.F) {
	valid, _ := json.Marshal(validInput())
	f.Add(valid)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"child":{"birth_date":"2024-02-29"},"kitas":["k1","k1","k2","k3","k4","k5","k6"],"hours":30}`))
	f.Add([]byte(`{"child":{"birth_date":"00000-00"}}`))
	f.Add([]byte(`{"start":"2027-13-45","tagespflege":{"district":"II"}}`))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte(`{"guardians":[{},{},{}],"criteria":{"hardship":true}}`))
	f.Add(bytes.Repeat([]byte("{"), 1000))
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		in, err := registration.Decode(bytes.NewReader(doc))
		if err != nil {
			if !errors.Is(err, problem.ErrInvalid) {
				t.Fatalf("decode error is not a problem list: %v", err)
			}
			return
		}
		_, err = fx.svc.Submit(fx.ctx, guardian("fz"), "fz", in)
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
