package contract_test

import (
	"fmt"
	"os"
	"time"

	"github.com/kitaportal/kitaportal/contract"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/rickb777/date"
	"github.com/shopspring/decimal"
)

// A child born on 15 March 2023 starts in a Bochum Kita on 1 August 2024 at
// 35 hours a week with lunch; the household earns 52,000 € a year. The fee
// drops from April 2025 (age 2), falls by 25 % from August 2025 and ends
// with the two fee-free years before school entry on 1 August 2029.
func ExampleFeeSchedule_Calculate() {
	f, err := os.Open("../municipality/bochum/fees.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	fees, err := contract.LoadFeeSchedule(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	birth := date.New(2023, time.March, 15)
	st, err := fees.Calculate(contract.FeeQuery{
		Calendar:  kita.NRW,
		BirthDate: birth,
		Start:     date.New(2024, time.August, 1),
		End:       kita.NRW.KitaEnd(birth),
		Hours:     35,
		Income:    decimal.NewFromInt(52000),
		MealPlan:  true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range st.Bands {
		fmt.Printf("%s – %s  %2d × %10s + %8s  %s\n",
			contract.FormatDate(b.From, contract.German), contract.FormatDate(b.To, contract.German), b.Months(),
			contract.FormatEuro(b.Fee, contract.German), contract.FormatEuro(b.MealFee, contract.German),
			b.Explain(contract.German))
	}
	fmt.Println("insgesamt", contract.FormatEuro(st.Sum(), contract.German))
	// Output:
	// 01.08.2024 – 31.03.2025   8 ×   150,00 € +  65,00 €  unter 2 Jahren
	// 01.04.2025 – 31.07.2025   4 ×    95,00 € +  65,00 €  ab 2 Jahren
	// 01.08.2025 – 31.07.2027  24 ×    71,25 € +  70,00 €  ab 2 Jahren; Beitragssenkung um 25 %
	// 01.08.2027 – 31.07.2029  24 ×     0,00 € +  70,00 €  beitragsfreies Jahr (§ 50 KiBiz)
	// insgesamt 7.430,00 €
}
