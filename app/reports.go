package app

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/tagespflege"
)

// Reports are the Jugendamt's figures for planning (Jugendhilfeplanung):
// plain data structures, with CSV output for charts.
type Reports struct {
	app       *App
	catalogue *kita.Catalogue
}

// DemandRow is demand against supply for one district and age band.
type DemandRow struct {
	District string `json:"district"`
	Band     string `json:"band"`
	// Places are the Kitas' places; Applications the applications whose
	// first Kita choice lies in the district.
	Places       int `json:"places"`
	Applications int `json:"applications"`
	// Placed counts applications of the row placed anywhere (offered,
	// accepted or contracted).
	Placed int `json:"placed"`
}

// KitaRow is demand against supply for one Kita.
type KitaRow struct {
	KitaID       string `json:"kita_id"`
	District     string `json:"district"`
	PlacesU3     int    `json:"places_u3"`
	PlacesO3     int    `json:"places_o3"`
	Choices      int    `json:"choices"`
	FirstChoices int    `json:"first_choices"`
	Taken        int    `json:"taken"`
	// FreeReported is what the carrier last reported as free, and when.
	FreeReported int       `json:"free_reported"`
	ReportedAt   time.Time `json:"reported_at"`
}

// ReferralRow are the open Tagespflege referrals of a district.
type ReferralRow struct {
	District string `json:"district"`
	Open     int    `json:"open"`
	// OldestDays and MedianDays are the ages of the open referrals in days.
	OldestDays int `json:"oldest_days"`
	MedianDays int `json:"median_days"`
}

// YearReport are the figures of one Kita year.
type YearReport struct {
	Year         string `json:"year"`
	Applications int    `json:"applications"`
	Children     int    `json:"children"`
	Choices      int    `json:"choices"`
	// ChoicesPerApplication and ApplicationsPerChild are averages.
	ChoicesPerApplication float64 `json:"choices_per_application"`
	ApplicationsPerChild  float64 `json:"applications_per_child"`
	Placed                int     `json:"placed"`
	FirstChoice           int     `json:"first_choice"`
	// PlacedRate and FirstChoiceRate are shares of the applications with a Kita choice.
	PlacedRate      float64       `json:"placed_rate"`
	FirstChoiceRate float64       `json:"first_choice_rate"`
	Tagespflege     int           `json:"tagespflege"`
	Demand          []DemandRow   `json:"demand"`
	Kitas           []KitaRow     `json:"kitas"`
	Referrals       []ReferralRow `json:"referrals"`
}

func placed(s registration.Status) bool {
	return s == registration.Offered || s == registration.Accepted || s == registration.Contracted
}

// Year computes the report of a Kita year ("2027/2028"). Only the Jugendamt
// (and the system) may.
func (r *Reports) Year(ctx context.Context, actor access.Actor, year string) (YearReport, error) {
	if err := access.Can(actor, access.ReadReports, access.Subject{}); err != nil {
		return YearReport{}, err
	}
	apps, err := r.app.store.Registrations().Applications(ctx, registration.Query{Year: year})
	if err != nil {
		return YearReport{}, err
	}
	places, err := r.app.store.Registrations().Places(ctx, year)
	if err != nil {
		return YearReport{}, err
	}
	rep := YearReport{Year: year}
	kitas := r.catalogue.All()
	rows := map[string]*KitaRow{}
	for _, k := range kitas {
		rows[k.ID] = &KitaRow{KitaID: k.ID, District: k.District, PlacesU3: k.Capacity.Under3, PlacesO3: k.Capacity.From3,
			FreeReported: k.FreePlaces.Total(), ReportedAt: k.FreePlacesAt}
	}
	for _, p := range places {
		if row := rows[p.KitaID]; row != nil {
			row.Taken += p.Taken
		}
	}
	type dkey struct{ district, band string }
	demand := map[dkey]*DemandRow{}
	row := func(d, b string) *DemandRow {
		k := dkey{d, b}
		if demand[k] == nil {
			demand[k] = &DemandRow{District: d, Band: b}
		}
		return demand[k]
	}
	for _, k := range kitas {
		row(k.District, kita.Under3.String()).Places += k.Capacity.Under3
		row(k.District, kita.From3.String()).Places += k.Capacity.From3
	}
	children := map[string]bool{}
	withKita := 0
	for _, a := range apps {
		if a.Status() == registration.Withdrawn {
			continue
		}
		rep.Applications++
		key := a.ChildKey
		if key == "" {
			key = a.ID // anonymized: count as its own child
		}
		children[key] = true
		rep.Choices += len(a.Choices)
		if a.TP != nil {
			rep.Tagespflege++
		}
		if len(a.Choices) == 0 {
			continue
		}
		withKita++
		band := kita.BandOn(a.Child.BirthDate, a.Start).String()
		for _, c := range a.Choices {
			if row := rows[c.KitaID]; row != nil {
				row.Choices++
				if c.Rank == 1 {
					row.FirstChoices++
				}
			}
		}
		first, _ := r.catalogue.Get(a.Choices[0].KitaID)
		d := row(first.District, band)
		d.Applications++
		if placed(a.Status()) {
			rep.Placed++
			d.Placed++
			if a.Offer() != nil && a.Offer().KitaID == a.Choices[0].KitaID {
				rep.FirstChoice++
			}
		}
	}
	rep.Children = len(children)
	if rep.Applications > 0 {
		rep.ChoicesPerApplication = float64(rep.Choices) / float64(rep.Applications)
	}
	if rep.Children > 0 {
		rep.ApplicationsPerChild = float64(rep.Applications) / float64(rep.Children)
	}
	if withKita > 0 {
		rep.PlacedRate = float64(rep.Placed) / float64(withKita)
		rep.FirstChoiceRate = float64(rep.FirstChoice) / float64(withKita)
	}
	for _, d := range demand {
		rep.Demand = append(rep.Demand, *d)
	}
	slices.SortFunc(rep.Demand, func(a, b DemandRow) int {
		if a.District != b.District {
			return districtOrder(r.app, a.District) - districtOrder(r.app, b.District)
		}
		if a.Band < b.Band {
			return 1 // u3 before o3
		}
		if a.Band > b.Band {
			return -1
		}
		return 0
	})
	for _, k := range kitas {
		rep.Kitas = append(rep.Kitas, *rows[k.ID])
	}
	refs, err := r.openReferrals(ctx)
	if err != nil {
		return YearReport{}, err
	}
	rep.Referrals = refs
	return rep, nil
}

func districtOrder(p *App, id string) int {
	if d, ok := p.Profile.Districts.Get(id); ok {
		return d.Number
	}
	return 1 << 20
}

// openReferrals counts the open referrals per district and their age.
func (r *Reports) openReferrals(ctx context.Context) ([]ReferralRow, error) {
	now := r.app.clock()
	var out []ReferralRow
	for _, d := range r.app.Profile.Districts.All() {
		refs, err := r.app.store.Tagespflege().Referrals(ctx, d.ID, 0, 0)
		if err != nil {
			return nil, err
		}
		var ages []int
		for _, ref := range refs {
			if ref.Status() == tagespflege.Open || ref.Status() == tagespflege.Contacted {
				ages = append(ages, int(now.Sub(ref.CreatedAt).Hours()/24))
			}
		}
		row := ReferralRow{District: d.ID, Open: len(ages)}
		if len(ages) > 0 {
			slices.Sort(ages)
			row.OldestDays = ages[len(ages)-1]
			row.MedianDays = ages[len(ages)/2]
		}
		out = append(out, row)
	}
	return out, nil
}

// WriteDemandCSV writes the demand rows as CSV with a header.
func (y YearReport) WriteDemandCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"district", "band", "places", "applications", "placed"})
	for _, d := range y.Demand {
		_ = cw.Write([]string{d.District, d.Band, strconv.Itoa(d.Places), strconv.Itoa(d.Applications), strconv.Itoa(d.Placed)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteKitasCSV writes the per-Kita rows as CSV with a header.
func (y YearReport) WriteKitasCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"kita_id", "district", "places_u3", "places_o3", "choices", "first_choices", "taken", "free_reported", "reported_at"})
	for _, k := range y.Kitas {
		at := ""
		if !k.ReportedAt.IsZero() {
			at = k.ReportedAt.UTC().Format(time.RFC3339)
		}
		_ = cw.Write([]string{k.KitaID, k.District, strconv.Itoa(k.PlacesU3), strconv.Itoa(k.PlacesO3), strconv.Itoa(k.Choices),
			strconv.Itoa(k.FirstChoices), strconv.Itoa(k.Taken), strconv.Itoa(k.FreeReported), at})
	}
	cw.Flush()
	return cw.Error()
}

// WriteReferralsCSV writes the referral rows as CSV with a header.
func (y YearReport) WriteReferralsCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"district", "open", "oldest_days", "median_days"})
	for _, r := range y.Referrals {
		_ = cw.Write([]string{r.District, strconv.Itoa(r.Open), strconv.Itoa(r.OldestDays), strconv.Itoa(r.MedianDays)})
	}
	cw.Flush()
	return cw.Error()
}
