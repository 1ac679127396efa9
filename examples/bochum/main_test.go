package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestRun runs the main path at a small size and checks the summary.
func TestRun(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-children", "300", "-seed", "7", "-out", out}, &stdout, &stderr)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	got := summaryOf(stdout.String())
	num := func(key string) int {
		t.Helper()
		v, ok := got[key]
		if !ok {
			t.Fatalf("summary has no %q line:\n%s", key, stdout.String())
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("%s: %q is not a number", key, v)
		}
		return n
	}
	for key := range labels {
		if _, ok := got[key]; !ok {
			t.Errorf("summary has no %q line", labels[key])
		}
	}
	{ // the totals reconcile
		if num("submitted") != num("applications")+num("duplicates")+num("rejected_inputs") {
			t.Errorf("submitted %d != applications %d + duplicates %d + rejected %d", num("submitted"), num("applications"), num("duplicates"), num("rejected_inputs"))
		}
		if num("applications") != num("tagespflege_only")+num("with_kita") {
			t.Errorf("applications %d != Tagespflege only %d + with a Kita %d", num("applications"), num("tagespflege_only"), num("with_kita"))
		}
		if num("with_kita") != num("placed")+num("unplaced")+num("withdrawn")+num("expired") {
			t.Errorf("with a Kita %d != placed + waiting + withdrawn + expired", num("with_kita"))
		}
		if num("tagespflege_only") == 0 {
			t.Errorf("some families ask for Tagespflege only")
		}
		if num("twin_families") != num("kept_together")+num("together_waiting")+num("split") {
			t.Errorf("families of twins %d != together in a Kita + together waiting + split", num("twin_families"))
		}
		if num("pool_placed") != num("hours_first")+num("hours_later") {
			t.Errorf("children placed at Kitas with pools %d != first hours wish %d + a later one %d", num("pool_placed"), num("hours_first"), num("hours_later"))
		}
		if num("later_placed") > num("pool_placed") || num("later_placed") > num("later_places") {
			t.Errorf("more children placed from a later month (%d) than placed at Kitas with pools or such places", num("later_placed"))
		}
		if num("upgrades") > num("kept_waiting") {
			t.Errorf("upgrades %d > families that kept waiting %d", num("upgrades"), num("kept_waiting"))
		}
	}
	{ // families
		if num("twin_families") == 0 || num("sibling_families") == 0 || num("mid_year") == 0 {
			t.Errorf("the year has twins, siblings and starts during the year: %v", got)
		}
		if num("split") != 0 {
			t.Errorf("%d families of twins were split", num("split"))
		}
		if num("kept_together") == 0 {
			t.Errorf("some twins are placed together")
		}
	}
	{ // care hours and start months
		if num("pooled_kitas") == 0 || num("later_places") == 0 || num("ranked_hours") == 0 {
			t.Errorf("the year has Kitas with pools, places free only later and families ranking hours: %v", got)
		}
		if num("hours_first") == 0 || num("hours_first") < num("hours_later") {
			t.Errorf("most children at Kitas with pools get their first hours wish: %d first, %d later", num("hours_first"), num("hours_later"))
		}
	}
	for key, label := range labels {
		if strings.Contains(label, ": ") {
			t.Errorf("the label of %s holds the separator", key)
		}
		for _, word := range []string{"applications", "placed", "first_choice", "kita_year", "_"} {
			if strings.Contains(label, word) {
				t.Errorf("the label of %s reads like a program's key: %q", key, label)
			}
		}
	}
	if _, ok := got["seconds"]; !ok {
		t.Fatal("summary has no seconds line")
	}
	if num("applications") != 300 {
		t.Errorf("300 children should give 300 applications: %v", got)
	}
	if num("duplicates") == 0 {
		t.Errorf("the simulation sends some children twice: the refusals show")
	}
	if num("confirmations") != num("applications") {
		t.Errorf("every application is confirmed: %d of %d", num("confirmations"), num("applications"))
	}
	if num("choices") < num("applications") || num("choices") > 5*num("applications") {
		t.Errorf("choices %d outside 1..5 per application", num("choices"))
	}
	if num("referrals") == 0 {
		t.Errorf("some families ask for Tagespflege")
	}
	if num("contracts") != num("placed") {
		t.Errorf("every accepted place gets a contract: %d contracts for %d placed", num("contracts"), num("placed"))
	}
	if num("rejected_inputs") != 0 {
		t.Errorf("the simulated families make valid inputs")
	}
	pdfs, _ := filepath.Glob(filepath.Join(out, "BO-2027-*.pdf"))
	if len(pdfs) != num("contracts") {
		t.Errorf("%d PDFs written for %d contracts", len(pdfs), num("contracts"))
	}
	if len(pdfs) > 0 {
		b, err := os.ReadFile(pdfs[0])
		if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s is not a PDF", pdfs[0])
		}
	}
	if !strings.Contains(stdout.String(), "Wattenscheid") {
		t.Errorf("the per-district table names the districts")
	}

	// The same seed gives the same year.
	var again bytes.Buffer
	if err := run(context.Background(), []string{"-children", "300", "-seed", "7", "-contracts=false", "-quiet"}, &again, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"placed", "first_choice", "offers_main_round", "declined", "hours_first", "hours_later"} {
		if summaryOf(again.String())[key] != got[key] {
			t.Errorf("%s differs between two runs with the same seed", key)
		}
	}
}

func TestFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-children", "0"}, &stdout, &stderr); err == nil {
		t.Error("-children 0 is refused")
	}
	if err := run(context.Background(), []string{"-no-such-flag"}, &stdout, &stderr); err == nil {
		t.Error("an unknown flag is refused")
	}
}

// TestRunPostgres runs a small year against PostgreSQL when
// KITAPORTAL_POSTGRES_URL is set, and checks it matches the in-memory year.
func TestRunPostgres(t *testing.T) {
	pg := os.Getenv("KITAPORTAL_POSTGRES_URL")
	if pg == "" {
		t.Skip("set KITAPORTAL_POSTGRES_URL to run the year against PostgreSQL")
	}
	var mem, db, stderr bytes.Buffer
	args := []string{"-children", "200", "-seed", "3", "-contracts=false", "-quiet"}
	if err := run(context.Background(), args, &mem, &stderr); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), append(args, "-postgres", pg), &db, &stderr); err != nil {
		t.Fatalf("postgres run: %v\n%s", err, stderr.String())
	}
	store := summaryOf(db.String())["store"]
	schema, ok := strings.CutPrefix(strings.TrimSuffix(store, ")"), "PostgreSQL (Schema ")
	if !ok || !strings.HasPrefix(schema, "bochum_") {
		t.Fatalf("the year did not run on PostgreSQL:\n%s", db.String())
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(context.Background(), pg)
		if err == nil {
			_, _ = conn.Exec(context.Background(), "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
			conn.Close(context.Background())
		}
	})
	for _, key := range []string{"applications", "choices", "confirmations", "referrals", "placed", "first_choice", "duplicates", "reviews", "twin_families", "kept_together", "kept_waiting", "upgrades", "pool_placed", "hours_first", "hours_later", "later_placed"} {
		if m, d := summaryOf(mem.String())[key], summaryOf(db.String())[key]; m != d {
			t.Errorf("%s differs between memory (%s) and PostgreSQL (%s)", key, m, d)
		}
	}
}

// summaryOf reads the summary's lines back by key.
func summaryOf(out string) map[string]string {
	byLabel := map[string]string{}
	for key, label := range labels {
		byLabel[label] = key
	}
	got := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if l, v, ok := strings.Cut(line, ": "); ok {
			if key, ok := byLabel[l]; ok {
				got[key] = v
			}
		}
	}
	return got
}
