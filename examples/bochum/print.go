package main

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// labels are the summary's lines as an official reads them, by a stable
// key (the tests look lines up by key). Indented lines break down the line
// above; the totals add up: submitted = applications + duplicates refused +
// inputs refused; applications = Tagespflege only + with a Kita choice;
// with a Kita choice = placed + waiting + withdrawn + expired; families
// of twins = together in one Kita + together on the waiting list + split;
// children placed at Kitas with pools = first hours wish + a later one.
var labels = map[string]string{
	"city":                "Stadt",
	"kita_year":           "Kindergartenjahr",
	"store":               "Datenhaltung",
	"kitas":               "Kitas im Verzeichnis",
	"submitted":           "Voranmeldungen abgeschickt",
	"duplicates":          "  abgewiesen, weil dasselbe Kind zum zweiten Mal kam",
	"rejected_inputs":     "  abgewiesen wegen fehlerhafter Angaben",
	"applications":        "  angenommene Voranmeldungen",
	"tagespflege_only":    "    davon nur Kindertagespflege gewünscht",
	"with_kita":           "    davon mit Kita-Wunsch",
	"placed":              "      Kita-Platz angeboten, angenommen oder Vertrag",
	"unplaced":            "      noch ohne Platz (Warteliste)",
	"withdrawn":           "      zurückgezogen (z. B. Platz in der Tagespflege)",
	"expired":             "      verfallen (Kindergartenjahr vorbei)",
	"children":            "Kinder",
	"choices":             "Kita-Wünsche insgesamt",
	"reviews":             "gleiches Kind in zwei Familien (Prüfung durch das Jugendamt)",
	"confirmations":       "Eingangsbestätigungen verschickt",
	"referrals":           "Anfragen an die Fachberatung Kindertagespflege",
	"tagespflege_placed":  "  davon an Tagespflegepersonen vermittelt",
	"late":                "nach dem Stichtag angemeldet",
	"short_notice":        "mit kurzem Vorlauf angemeldet",
	"offers_main_round":   "Platzangebote der Hauptrunde",
	"declined":            "  davon abgelehnt",
	"offers_second_round": "Platzangebote der zweiten Runde",
	"offers_third_round":  "Platzangebote der dritten Runde (durch Wechsel frei gewordene Plätze)",
	"kept_waiting":        "Platz angenommen und auf eine höher gewünschte Kita gewartet",
	"upgrades":            "  davon später in die höher gewünschte Kita gewechselt",
	"twin_families":       "Familien mit Zwillingen, die zusammenbleiben sollen",
	"kept_together":       "  gemeinsam in einer Kita",
	"together_waiting":    "  gemeinsam auf der Warteliste",
	"split":               "  getrennt",
	"sibling_families":    "Familien mit Geschwistern im selben Kindergartenjahr (Hauptrunde)",
	"mid_year":            "Beginn im Laufe des Kindergartenjahres",
	"first_choice":        "Platz in der erstgewünschten Kita",
	"pooled_kitas":        "Kitas mit Plätzen nach Betreuungsumfang und Monat",
	"later_places":        "  Plätze, die erst im Laufe des Jahres frei werden",
	"ranked_hours":        "Kinder mit mehr als einem gewünschten Betreuungsumfang",
	"pool_placed":         "Kinder mit Platz in einer Kita mit Plätzen nach Betreuungsumfang",
	"hours_first":         "  im erstgewünschten Betreuungsumfang",
	"hours_later":         "  in einem weiteren gewünschten Betreuungsumfang",
	"later_placed":        "  mit einem erst im Laufe des Jahres frei werdenden Platz",
	"contracts":           "Betreuungsverträge erstellt",
	"contracts_dir":       "Vertrags-PDFs",
	"messages_sent":       "E-Mails verschickt",
	"seconds":             "Laufzeit in Sekunden",
}

// print writes the summary: one "label: value" line per figure, then the
// per-district table of the Jugendamt's report.
func (s *summary) print(w io.Writer) error {
	pdfs := "nicht gespeichert (erzeugt und verworfen; mit -out ORDNER speichern)"
	if s.out != "" {
		pdfs = fmt.Sprintf("%s (%.1f MB)", s.out, float64(s.pdfBytes)/1e6)
	}
	if s.contracts == 0 {
		pdfs = "keine"
	}
	lines := []struct {
		key string
		val any
	}{
		{"city", s.profile.Name},
		{"kita_year", kitaYear},
		{"store", s.store},
		{"kitas", len(s.report.Kitas)},
		{"submitted", s.submitted},
		{"duplicates", s.duplicates},
		{"rejected_inputs", s.rejects},
		{"applications", s.applications},
		{"tagespflege_only", s.tagespflegeOnly},
		{"with_kita", s.withKita},
		{"placed", s.placed},
		{"unplaced", s.unplaced},
		{"withdrawn", s.withdrawn},
		{"expired", s.expired},
		{"children", s.children},
		{"choices", s.choices},
		{"reviews", s.reviews},
		{"confirmations", s.confirmations},
		{"referrals", s.referrals},
		{"tagespflege_placed", s.referralsPlaced},
		{"late", s.late},
		{"short_notice", s.shortNotice},
		{"offers_main_round", s.offers1},
		{"declined", s.declined},
		{"offers_second_round", s.offers2},
		{"offers_third_round", s.offers3},
		{"kept_waiting", s.keptWaiting},
		{"upgrades", s.upgrades},
		{"twin_families", s.twinFamilies},
		{"kept_together", s.keptTogether},
		{"together_waiting", s.togetherWaiting},
		{"split", s.split},
		{"sibling_families", s.siblingFamilies},
		{"mid_year", s.midYear},
		{"first_choice", s.firstChoice},
		{"pooled_kitas", s.pooledKitas},
		{"later_places", s.laterPlaces},
		{"ranked_hours", s.rankedHours},
		{"pool_placed", s.poolPlaced},
		{"hours_first", s.hoursFirst},
		{"hours_later", s.hoursLater},
		{"later_placed", s.laterPlaced},
		{"contracts", s.contracts},
		{"contracts_dir", pdfs},
		{"messages_sent", s.messages},
		{"seconds", fmt.Sprintf("%.2f", s.seconds)},
	}
	for _, l := range lines {
		if _, err := fmt.Fprintf(w, "%s: %v\n", labels[l.key], l.val); err != nil {
			return err
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Stadtbezirk\tName\tAlter\tPlätze\tVoranmeldungen\tmit Platz\tTagespflege offen\t")
	open := map[string]int{}
	for _, r := range s.report.Referrals {
		open[r.District] = r.Open
	}
	bands := map[string]string{"u3": "unter 3", "o3": "ab 3"}
	for _, d := range s.report.Demand {
		name := ""
		if dd, ok := s.profile.Districts.Get(d.District); ok {
			name = dd.Name
		}
		tp := ""
		if d.Band == "u3" {
			tp = fmt.Sprint(open[d.District])
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t\n", d.District, name, bands[d.Band], d.Places, d.Applications, d.Placed, tp)
	}
	return tw.Flush()
}
