package allocation

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenCase is a generated instance whose outcome is pinned by the
// SHA-256 of its interchange JSON (placements, priorities, cut-offs,
// statistics, explanations, unstable lists), one digest per mechanism the
// instance allows. The digests were taken before the engine's internals
// were rewritten for speed: a change of any byte of any outcome fails.
type goldenCase struct {
	name  string
	spec  genSpec
	seed  uint64
	fixed int // every fixed-th applicant has a fixed place (0: none)
	// policy, when set, changes the generated instance's policy.
	policy func(*Instance)
	// viaJSON writes the instance as JSON and reads it back with
	// DecodeBuffered: its strings then share no memory, so ids are found
	// by hashing, not by their memory.
	viaJSON bool
	digest  map[Mechanism]string
}

// onlyDA pins deferred acceptance, the one mechanism for families and
// pools.
func onlyDA(d string) map[Mechanism]string { return map[Mechanism]string{DeferredAcceptance: d} }

// every pins deferred acceptance, Kita-proposing and immediate acceptance.
func every(da, kp, ia string) map[Mechanism]string {
	return map[Mechanism]string{DeferredAcceptance: da, KitaProposing: kp, ImmediateAcceptance: ia}
}

func goldenCases() []goldenCase {
	city := genSpec{applicants: 6_000, facilities: 120, choices: 5, capacity: 5_200, bands: true}
	crowded := genSpec{applicants: 20_000, facilities: 12, choices: 3, capacity: 9_000, bands: true}
	fams := city
	fams.families = 5
	hours := fams
	hours.hours, hours.months = true, true
	poolsOnly := city
	poolsOnly.hours, poolsOnly.months = true, true
	explicit := genSpec{applicants: 400, facilities: 9, choices: 4, capacity: 300, bands: true, explicit: true}
	// state: large enough for the parallel paths (sorting, indexing,
	// pools), which start at 32,768 applicants or pairs.
	state := genSpec{applicants: 40_000, facilities: 500, choices: 5, capacity: 34_000, bands: true}
	stateHours := state
	stateHours.families, stateHours.hours, stateHours.months = 5, true, true
	return []goldenCase{
		{name: "a city with band quotas and a lottery per child", spec: city, seed: 2026, digest: every(
			"7daa5c02c75b114f9e2f7958291f4737d23602e39bf4d96602c6c9276a5fc62e",
			"f8caad21f2d890445f0216671517d3d46e3be407427984d44e8bd5d9b677fdef",
			"266391c4d3c188b941220b089d44f1b304131897090ae3ae16d3506204320d31")},
		{name: "a city with a lottery per Kita and fixed placements", spec: city, seed: 2027, fixed: 17, digest: every(
			"e8022108c5fa304f428c2a55b688657f4419d6cc0ac1013912cbd0fffb804a7c",
			"181395b726232781470e8b6b26c6622412c3b794be1209174b12bf3c75639adb",
			"08e579c9d861c4c0549c4926c3f3b8f6129c1440f7a88f0ebab9aeb4c19b478e")},
		{name: "few Kitas with thousands of applicants each", spec: crowded, seed: 7, digest: every(
			"514d95236f75449de4c96496caa850a9c3099710fadde479e039baada3ec4a27",
			"d2bcbea89461889c2250c33e18701ee8f575d0f375f3342798fbbbbdd28d260b",
			"a0d7e82d7f07680a5385e5e3e727a05fa3bc762cdf6d52c429bab3629c9e5cb7")},
		{name: "a registration date tier leaving few bits for the lottery", spec: crowded, seed: 8, policy: dateTier, digest: onlyDA("1ec07d0b94bd60480a7615ec2dfe656ea2e4ff620dc6ee9e08caa354ac2fa93f")},
		{name: "tiers too wide to pack into 64 bits", spec: crowded, seed: 9, policy: wideTiers, digest: onlyDA("86ee05df1bb9fe0de91ac0770319ad1d80aed4fc84446158569c8c972c8b94a8")},
		{name: "one early registration leaving no bits for a lottery per child", spec: crowded, seed: 10, policy: oneEarly, digest: onlyDA("78c7fa2cf8fe492e1f275b3a97a0f701cee60fb652e91525305d38dca52a652b")},
		{name: "one early registration leaving no bits for a lottery per Kita", spec: crowded, seed: 11, policy: oneEarly, digest: onlyDA("9a3670f922e5cfe8cf1a94829f4b36f7b272aaf816ee1b32c7530559d23d8172")},
		{name: "explicit priority orders", spec: explicit, seed: 4, fixed: 29, digest: every(
			"2b4cdb917752ab8a34ae88cab0d3b26d0c6dd1ad22371a24821716dd13e5e82c",
			"39bd822a4dd70483f616d711c7413c38d0cbdafee8cf52daad8e26627fee2692",
			"afb71748cf2eb7eb1876af9338101f87189ee5c9db479ea26476c484a857aa02")},
		{name: "families placed together and siblings", spec: fams, seed: 2026, digest: onlyDA("16682c9fe7bae1da30d59b778a0804a896eff84a38271e0fd97270355da58d83")},
		{name: "families with a lottery per Kita", spec: fams, seed: 11, digest: onlyDA("e012ec41e844fb690936c724d433af485c4f3e7bd45321163e037995e2fb237f")},
		{name: "hours and months without families", spec: poolsOnly, seed: 2026, digest: onlyDA("dba84f8005e84409fb12e3726077f6a2017dd26384b72ee011704533261cb0f6")},
		{name: "hours and months with a lottery per Kita", spec: poolsOnly, seed: 21, digest: onlyDA("d75b488e294b10cf4207f7e137e290f97bb4ec712a307020b63f9c2e20b1ebab")},
		{name: "families, hours and months", spec: hours, seed: 2026, digest: onlyDA("6fb4c0430ca7c38559e684cfe447cb1802d4e78415d45b03c0631aa7d106bb16")},
		{name: "families, hours and months with a lottery per Kita", spec: hours, seed: 13, digest: onlyDA("014edc3bed097207f6aeae2bd1e10de5bceb38367227daca213831ab398e954e")},
		{name: "a state's share on the parallel paths", spec: state, seed: 2026, digest: every(
			"bfb3c16c4afff8d1207b9a35a69b8658d31f785da66cc38fe7fa812f027c689a",
			"06e501910bafb845a1e4a592ea5acef7e04886ca34e6892d57079a511ff6043b",
			"0a3ddf05134a918c9d48195080c276648352013e5334064818d2a67224efdfd8")},
		{name: "a state's share read from JSON, ids found by hashing", spec: state, seed: 2027, fixed: 23, viaJSON: true, digest: onlyDA("839f499a354255f0d07ee61ee03b56a0660771cca5f2ece849dd6dbd8337a1b4")},
		{name: "families, hours and months at a state's share", spec: stateHours, seed: 2026, digest: onlyDA("d290ce1636eb124d1e5777f3a026b838ff7f5a24cedf8ff68d52df515b5993ff")},
	}
}

func TestOutcomesEqualThePinnedOnes(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			inst := generate(tc.spec, tc.seed)
			if tc.policy != nil {
				tc.policy(&inst)
			}
			if tc.fixed > 0 {
				fixSome(&inst, tc.fixed)
			}
			if tc.viaJSON {
				b, err := json.Marshal(inst)
				require.NoError(t, err)
				inst, err = DecodeBuffered(bytes.NewReader(b))
				require.NoError(t, err)
			}
			comp, err := Compile(inst)
			require.NoError(t, err)
			for m, want := range tc.digest {
				out, err := comp.Allocate(Options{Mechanism: m, Explain: true})
				require.NoError(t, err)
				h := sha256.New()
				require.NoError(t, out.WriteJSON(h))
				got := hex.EncodeToString(h.Sum(nil))
				assert.Equal(t, want, got, "outcome of %v", m)
			}
		})
	}
}

// fixSome gives every n-th applicant a fixed place at its last choice,
// while that takes at most half of the Kita's places of its band.
func fixSome(inst *Instance, n int) {
	facs := map[string]*Facility{}
	for i := range inst.Facilities {
		facs[inst.Facilities[i].ID] = &inst.Facilities[i]
	}
	taken := map[string]int{}
	inst.Fixed = map[string]string{}
	for a := 0; a < len(inst.Applicants); a += n {
		ap := inst.Applicants[a]
		if len(ap.Choices) == 0 {
			continue
		}
		f := facs[ap.Choices[len(ap.Choices)-1]]
		places, key := f.Capacity, f.ID
		if f.CapacityByBand != nil {
			places, key = f.CapacityByBand[ap.Band], f.ID+"/"+ap.Band.String()
		}
		if 2*(taken[key]+1) <= places {
			taken[key]++
			inst.Fixed[ap.ID] = f.ID
		}
	}
}

// dateTier ranks by registration date right after hardship: the seconds
// of three months take 23 bits of the sort key.
func dateTier(inst *Instance) {
	cs := inst.Policy.Criteria
	inst.Policy.Criteria = append([]Criterion{cs[0], {Kind: KindRegistrationDate, Mode: ModeTier}}, cs[1:]...)
}

// wideTiers is dateTier with registration dates and birth dates spread
// over millennia: the tiers no longer fit 64 bits.
func wideTiers(inst *Instance) {
	dateTier(inst)
	first, last := &inst.Applicants[0], &inst.Applicants[len(inst.Applicants)-1]
	first.RegisteredAt = first.RegisteredAt.AddDate(-2000, 0, 0)
	last.RegisteredAt = last.RegisteredAt.AddDate(5000, 0, 0)
	first.BirthDate, last.BirthDate = "0001-01-01", "9999-12-31"
}

// oneEarly is dateTier with every child registered at the same second but
// one, decades earlier: the tier takes 30 bits of the sort key, and nearly
// all children tie in it, so the lottery decides.
func oneEarly(inst *Instance) {
	dateTier(inst)
	at := inst.Applicants[1].RegisteredAt
	for a := range inst.Applicants {
		inst.Applicants[a].RegisteredAt = at
	}
	inst.Applicants[0].RegisteredAt = at.AddDate(-30, 0, 0)
}
