package contract_test

import (
	"os"
	"testing"
	"time"

	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/rickb777/date"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func bochumFees(tb testing.TB) contract.FeeSchedule {
	tb.Helper()
	f, err := os.Open("../municipality/bochum/fees.json")
	require.NoError(tb, err)
	defer f.Close()
	s, err := contract.LoadFeeSchedule(f)
	require.NoError(tb, err)
	return s
}

func bochumRules(tb testing.TB) contract.Rules {
	return contract.Rules{
		Calendar: kita.NRW, Fees: bochumFees(tb),
		SettlingInWeeksUnder3: 4, SettlingInWeeksFrom3: 2, ClosureDays: 25, NoticeMonths: 3,
	}
}

func d(y int, m time.Month, day int) date.Date { return date.New(y, m, day) }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var addr = geo.Address{Street: "Königsallee", HouseNumber: "12a", PostalCode: "44789", City: "Bochum"}

// validDraft is a child born 15 March 2024 starting on 1 August 2025 at
// 35 hours in a Bochum Kita, income 52,000 €.
func validDraft() contract.Draft {
	return contract.Draft{
		Number: "BO-2025-000123",
		Kind:   contract.Kita,
		Provider: contract.Provider{
			Name: "Kita Sonnenblume Weitmar", Representative: "Gülşen Straßburger",
			CarrierName: "Arbeiterwohlfahrt Unterbezirk Ruhr-Mitte", Address: addr,
		},
		Guardians: []contract.Party{
			{Name: "Ayşe Ößmann-Çelik", Address: addr, Email: "a@example.org"},
			{Name: "Maximilian Friedrich-Wilhelm von Hohenzollern-Sigmaringen-Ößmann", Address: addr},
		},
		Child:     contract.Child{Name: "Jürgen Ößmann-Çelik", BirthDate: d(2024, time.March, 15), Address: addr},
		Start:     d(2025, time.August, 1),
		Hours:     35,
		Language:  contract.German,
		Income:    dec("52000"),
		MealPlan:  true,
		CreatedAt: time.Date(2025, time.June, 2, 9, 30, 0, 0, time.UTC),
	}
}
