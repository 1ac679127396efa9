package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// print writes the summary: one "key: value" line per figure, then the
// per-district table of the Jugendamt's report.
func (s *summary) print(w io.Writer) error {
	lines := []struct {
		key string
		val any
	}{
		{"city", s.profile.Name},
		{"kita_year", kitaYear},
		{"store", s.store},
		{"kitas", len(s.report.Kitas)},
		{"applications", s.applications},
		{"children", s.children},
		{"choices", s.choices},
		{"confirmations", s.confirmations},
		{"referrals", s.referrals},
		{"tagespflege_placed", s.referralsPlaced},
		{"late_applications", s.late},
		{"short_notice", s.shortNotice},
		{"rejected_inputs", s.rejects},
		{"offers_main_round", s.offers1},
		{"declined", s.declined},
		{"offers_second_round", s.offers2},
		{"placed", s.placed},
		{"unplaced", s.unplaced},
		{"first_choice", s.firstChoice},
		{"contracts", s.contracts},
		{"contracts_dir", s.out},
		{"messages_sent", s.messages},
		{"seconds", fmt.Sprintf("%.2f", s.seconds)},
	}
	for _, l := range lines {
		if _, err := fmt.Fprintf(w, "%s: %v\n", l.key, l.val); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "district\tname\tband\tplaces\tapplications\tplaced\topen_tagespflege\t")
	open := map[string]int{}
	for _, r := range s.report.Referrals {
		open[r.District] = r.Open
	}
	for _, d := range s.report.Demand {
		name := ""
		if dd, ok := s.profile.Districts.Get(d.District); ok {
			name = dd.Name
		}
		tp := ""
		if d.Band == "u3" {
			tp = fmt.Sprint(open[d.District])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t\n", d.District, name, d.Band, d.Places, d.Applications, d.Placed, tp)
	}
	return tw.Flush()
}
