package allocation_test

import (
	"fmt"
	"strings"

	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/problem"
)

// A city with two Kitas allocates by deferred acceptance under a policy
// that puts hardship cases first and scores siblings and working parents.
func ExampleRun() {
	inst := allocation.Instance{
		Applicants: []allocation.Applicant{
			{ID: "c1", Choices: []string{"Sonnenblume", "Regenbogen"}, WorkingParents: true},
			{ID: "c2", Choices: []string{"Sonnenblume"}, Siblings: []string{"Sonnenblume"}},
			{ID: "c3", Choices: []string{"Sonnenblume", "Regenbogen"}, Hardship: true},
		},
		Facilities: []allocation.Facility{
			{ID: "Sonnenblume", Capacity: 1},
			{ID: "Regenbogen", Capacity: 1},
		},
		Policy: allocation.Policy{
			Criteria: []allocation.Criterion{
				{Kind: allocation.KindHardship, Mode: allocation.ModeTier},
				{Kind: allocation.KindSibling, Mode: allocation.ModePoints, Points: 30},
				{Kind: allocation.KindWorkingParents, Mode: allocation.ModePoints, Points: 20},
			},
			Lottery: allocation.LotteryPerChild,
			Seed:    2026,
		},
	}
	res, err := allocation.Run(inst, allocation.Options{Mechanism: allocation.DeferredAcceptance})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range []string{"c1", "c2", "c3"} {
		fmt.Printf("%s -> %q\n", id, res.Placements[id])
	}
	fmt.Println("Sonnenblume:", res.Priorities["Sonnenblume"], "cut-off rank", res.Cutoffs["Sonnenblume"][0].Rank)
	// Output:
	// c1 -> "Regenbogen"
	// c2 -> ""
	// c3 -> "Sonnenblume"
	// Sonnenblume: [c3 c2 c1] cut-off rank 1
}

// Verification shows the justified envy immediate acceptance causes.
func ExampleVerify() {
	inst := allocation.Instance{
		Applicants: []allocation.Applicant{
			{ID: "a1", Choices: []string{"Y", "X"}},
			{ID: "a2", Choices: []string{"X", "Y"}},
			{ID: "a3", Choices: []string{"X", "Z"}},
		},
		Facilities: []allocation.Facility{
			{ID: "X", Capacity: 1, Priority: []string{"a1", "a3", "a2"}},
			{ID: "Y", Capacity: 1, Priority: []string{"a2", "a1", "a3"}},
			{ID: "Z", Capacity: 1, Priority: []string{"a3"}},
		},
	}
	for _, m := range []allocation.Mechanism{allocation.ImmediateAcceptance, allocation.DeferredAcceptance} {
		res, _ := allocation.Run(inst, allocation.Options{Mechanism: m})
		violations, _ := allocation.Verify(inst, res)
		fmt.Println(m, len(violations), "violations")
		for _, v := range violations {
			fmt.Println(" ", v)
		}
	}
	// Output:
	// immediate-acceptance 1 violations
	//   justified envy: applicant "a2" prefers Y, which admitted "a1" with lower priority
	// deferred-acceptance 0 violations
}

// Invalid input is reported at once, every problem with its field and a
// text from the Messages catalogue.
func ExampleDecode() {
	input := `{
	  "applicants": [{"id": "c1", "choices": ["K1", "K9", "K1"], "band": "u3"}],
	  "facilities": [{"id": "K1", "capacity": 2, "capacity_by_band": {"u3": 1, "o3": 0}}],
	  "policy": {"lottery": "per_child", "seed": 1}
	}`
	inst, err := allocation.Decode(strings.NewReader(input))
	if err != nil {
		fmt.Println(err)
		return
	}
	err = allocation.Validate(inst)
	if list, ok := err.(problem.List); ok {
		tr := problem.NewTranslator(allocation.Messages)
		for _, line := range tr.Messages(list, "en") {
			fmt.Println(line)
		}
	}
	// Output:
	// facilities[0].capacity_by_band: the places per age band do not add up to the capacity
	// applicants[0].choices[1]: no such Kita
	// applicants[0].choices[2]: this Kita was already chosen
}

// A Bochum-sized year with twins and siblings: about 5 % of the children
// in families placed together, as many in sibling families. Every
// together-family is placed at one Kita or not at all, and the result
// verifies.
func ExampleRun_families() {
	inst, err := allocation.Synthetic{Applicants: 8861, Facilities: 190, Choices: 5, Capacity: 11435, Bands: true, Families: 5}.Generate(2026)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := allocation.Run(inst, allocation.Options{Mechanism: allocation.DeferredAcceptance})
	if err != nil {
		fmt.Println(err)
		return
	}
	violations, err := allocation.Verify(inst, res)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("families kept together: %d of %d\n", res.Statistics.Together, res.Statistics.Families)
	fmt.Println("stable:", res.Unstable == nil, "violations:", len(violations))
	// Output:
	// families kept together: 195 of 204
	// stable: true violations: 0
}
