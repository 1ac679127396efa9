package registration_test

import "github.com/kitaportal/kitaportal/allocation"

func bochumTestPolicy() allocation.Policy {
	return allocation.Policy{
		Criteria: []allocation.Criterion{
			{Kind: allocation.KindHardship, Mode: allocation.ModeTier},
			{Kind: allocation.KindSibling, Mode: allocation.ModePoints, Points: 10},
			{Kind: allocation.KindWorkingParents, Mode: allocation.ModePoints, Points: 5},
		},
		Lottery: allocation.LotteryPerChild,
		Seed:    7,
	}
}
