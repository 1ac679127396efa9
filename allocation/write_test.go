package allocation

import (
	"bufio"
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decodeAny(t *testing.T, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v map[string]any
	require.NoError(t, dec.Decode(&v))
	return v
}

func TestOutcomeWriteJSON(t *testing.T) {
	odd := generate(genSpec{applicants: 40, facilities: 5, choices: 3, capacity: 20, bands: true}, 4)
	for i := range odd.Applicants {
		odd.Applicants[i].ID = "Kind \"" + odd.Applicants[i].ID + "\" <ä>\t\\"
	}
	odd.Fixed = map[string]string{odd.Applicants[0].ID: odd.Facilities[0].ID}
	instances := []struct {
		name string
		inst Instance
	}{
		{"a Bochum-like instance with band quotas", generate(genSpec{applicants: 300, facilities: 12, choices: 5, capacity: 250, bands: true}, 1)},
		{"an instance with explicit priority orders", generate(genSpec{applicants: 50, facilities: 4, choices: 3, capacity: 30, explicit: true}, 2)},
		{"ids that need escaping, and a fixed placement", odd},
		{"an empty instance", Instance{Policy: Policy{Lottery: LotteryPerChild}}},
		{"an instance with families", generate(genSpec{applicants: 300, facilities: 12, choices: 5, capacity: 250, bands: true, families: 10}, 5)},
		{"an instance without a stable outcome", smallTogetherInstance(278)},
	}
	for _, tt := range instances {
		for _, m := range []Mechanism{DeferredAcceptance, KitaProposing, ImmediateAcceptance} {
			if len(tt.inst.Families) > 0 && m != DeferredAcceptance {
				continue
			}
			for _, explain := range []bool{false, true} {
				name := tt.name + " written by " + m.String()
				if explain {
					name += " with explanations"
				}
				t.Run(name+" has the content of the Result", func(t *testing.T) {
					opts := Options{Mechanism: m, Explain: explain}
					res, err := Run(tt.inst, opts)
					require.NoError(t, err)
					want, err := res.MarshalJSON()
					require.NoError(t, err)
					wantV := decodeAny(t, want)
					if !explain {
						delete(wantV, "priorities")
					}
					comp, err := Compile(tt.inst)
					require.NoError(t, err)
					out, err := comp.Allocate(opts)
					require.NoError(t, err)
					var buf bytes.Buffer
					require.NoError(t, out.WriteJSON(&buf))
					assert.Equal(t, wantV, decodeAny(t, buf.Bytes()))
				})
			}
		}
	}
}

func TestAllocateRejectsAnInvalidMechanism(t *testing.T) {
	comp, err := Compile(generate(genSpec{applicants: 3, facilities: 2, choices: 2, capacity: 2}, 1))
	require.NoError(t, err)
	_, err = comp.Allocate(Options{})
	assert.ErrorIs(t, err, ErrMechanism)
}

func TestWriteJSONWritesTheChunkedPlacementsOfALargeInstanceInOrder(t *testing.T) {
	inst := generate(genSpec{applicants: 2*placementsChunk + 1234, facilities: 60, choices: 3, capacity: 2 * placementsChunk, bands: true}, 9)
	inst.Fixed = map[string]string{inst.Applicants[placementsChunk].ID: inst.Facilities[0].ID}
	comp, err := Compile(inst)
	require.NoError(t, err)
	out, err := comp.Allocate(Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)

	var one []byte
	for a := range inst.Applicants {
		one = out.appendPlacement(one, a)
	}
	var chunked bytes.Buffer
	bw := bufio.NewWriter(&chunked)
	out.writePlacements(bw)
	require.NoError(t, bw.Flush())
	require.Equal(t, string(one), chunked.String())
	require.Contains(t, string(one), ":null", "some applicant is unplaced")

	res, err := Run(inst, Options{Mechanism: DeferredAcceptance})
	require.NoError(t, err)
	want, err := res.MarshalJSON()
	require.NoError(t, err)
	wantV := decodeAny(t, want)
	delete(wantV, "priorities")
	var buf bytes.Buffer
	require.NoError(t, out.WriteJSON(&buf))
	assert.Equal(t, wantV, decodeAny(t, buf.Bytes()))
}
