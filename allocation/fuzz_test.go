package allocation

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"
)

func FuzzDecodeInstance(f *testing.F) {
	for seed := range uint64(4) {
		inst := generate(genSpec{applicants: 6, facilities: 3, choices: 3, capacity: 4, bands: seed%2 == 0, explicit: seed == 3}, seed)
		inst.Fixed = map[string]string{inst.Applicants[0].ID: inst.Facilities[0].ID}
		data, err := json.Marshal(inst)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"applicants":[{"id":"a","choices":["K","K"],"band":"x"}],"facilities":[{"id":"K","capacity":-1,"capacity_by_band":{"u3":1,"zz":2},"priority":["b","b"]}],"policy":{"criteria":[{"kind":"age","mode":"points","points":5}],"lottery":"per_facility"},"fixed":{"q":"K"}}`))
	f.Add([]byte(`{"applicants":[{"id":"a","choices":["K"],"birth_date":"2024-02-29","registered_at":"2025-01-01T00:00:00Z"}],"facilities":[{"id":"K","capacity":1}],"policy":{"criteria":[{"kind":"age","mode":"tier"},{"kind":"registration_date","mode":"tier"}],"lottery":"per_child","seed":18446744073709551615}}`))
	f.Add([]byte(`[`))
	for seed := range uint64(4) {
		inst := generate(genSpec{applicants: 8, facilities: 3, choices: 3, capacity: 5, bands: seed%2 == 0, families: 60}, seed)
		data, err := json.Marshal(inst)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format":"kitaportal.allocation/v2","meta":{"city":"Bochum","n":[1,{"x":null}]},"applicants":[{"id":"a","choices":["K"]},{"id":"b","choices":["K"]}],"facilities":[{"id":"K","capacity":1}],"families":[{"id":"f","children":["a","b"],"together":true}],"policy":{"lottery":"per_child"}}`))
	f.Add([]byte(`{"format":"v3","meta":[],"families":[{"id":"","children":["a","a"],"together":1}]}`))
	f.Add([]byte(muensterHours))
	f.Add([]byte(`{"format":"kitaportal.allocation/v2","applicants":[{"id":"a","start":"2027-1","choices":[{"kita":"k","hours":[35,35,0]},{"kita":null},null]}],"facilities":[{"id":"k","capacity":1,"capacity_by_band":{"u3":1},"pools":[{"band":"x","hours":99,"from":"","capacity":-1}]}],"policy":{"lottery":"per_child"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		inst, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		if Validate(inst) != nil {
			return
		}
		for _, m := range []Mechanism{DeferredAcceptance, KitaProposing, ImmediateAcceptance} {
			res, err := Run(inst, Options{Mechanism: m, Explain: true})
			pools := slices.ContainsFunc(inst.Facilities, func(f Facility) bool { return f.Pools != nil })
			if (len(inst.Families) > 0 || pools) && m != DeferredAcceptance {
				if !errors.Is(err, ErrMechanism) {
					t.Fatalf("%s placed families or pools: %v", m, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: valid instance rejected: %v", m, err)
			}
			v, err := Verify(inst, res)
			if err != nil {
				t.Fatal(err)
			}
			if m != ImmediateAcceptance && len(v) > 0 && res.Unstable == nil {
				t.Fatalf("%s: not stable: %v", m, v)
			}
			if _, err := res.MarshalJSON(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzDecodeAgreesWithEncodingJSON checks the streaming decoder against
// encoding/json: whatever Decode accepts, encoding/json (with unknown
// fields disallowed) decodes to the same instance. Decode is stricter
// (fields given twice, invalid UTF-8, names differing in case), never
// laxer.
func FuzzDecodeAgreesWithEncodingJSON(f *testing.F) {
	for seed := range uint64(3) {
		inst := generate(genSpec{applicants: 4, facilities: 3, choices: 3, capacity: 4, bands: seed%2 == 0, explicit: seed == 2}, seed)
		inst.Fixed = map[string]string{inst.Applicants[0].ID: inst.Facilities[0].ID}
		data, err := json.Marshal(inst)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"applicants":[{"id":"a\u00e4\n","choices":[],"siblings":null,"registered_at":"2025-01-01T10:00:00+02:00","band":null}],"facilities":[{"id":"K","capacity":-0,"capacity_by_band":{},"priority":[]}],"fixed":{"a":null},"policy":null}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"applicants":[],"facilities":[],"policy":{"criteria":[]},"fixed":{}}`))
	f.Add([]byte(`{"format":"kitaportal.allocation/v2","meta":{"a":1},"families":[{"id":"f","children":["a","b"],"together":true}]}`))
	f.Add([]byte(muensterHours))
	f.Add([]byte(`{"applicants":[{"id":"a","choices":["k",{"kita":"k","hours":[]},{"kita":"j","hours":[1,2]}]}]}`))
	inst := generate(genSpec{applicants: 6, facilities: 3, choices: 2, capacity: 4, families: 80}, 9)
	if data, err := json.Marshal(inst); err == nil && len(inst.Families) > 0 {
		f.Add(data)
	} else {
		f.Fatal("no family seed", err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		var wire struct {
			Instance
			Meta map[string]any `json:"meta"` // accepted and ignored
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&wire); err != nil {
			t.Fatalf("Decode accepted what encoding/json rejects: %v", err)
		}
		want := wire.Instance
		if len(got.Applicants) != len(want.Applicants) {
			t.Fatalf("%d applicants, encoding/json: %d", len(got.Applicants), len(want.Applicants))
		}
		for i := range got.Applicants {
			g, w := &got.Applicants[i], &want.Applicants[i]
			if !g.RegisteredAt.Equal(w.RegisteredAt) {
				t.Fatalf("applicant %d: registered_at differs", i)
			}
			g.RegisteredAt, w.RegisteredAt = time.Time{}, time.Time{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Decode: %#v\nencoding/json: %#v", got, want)
		}
	})
}

func FuzzDecodeResult(f *testing.F) {
	res, err := Run(generate(genSpec{applicants: 6, facilities: 3, choices: 3, capacity: 4, bands: true}, 1), Options{Mechanism: DeferredAcceptance, Explain: true})
	if err != nil {
		f.Fatal(err)
	}
	data, err := res.MarshalJSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"placements":{"a":null,"a":"K"},"mechanism":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := DecodeResult(bytes.NewReader(data))
		if err != nil {
			return
		}
		if _, err := res.MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	})
}
