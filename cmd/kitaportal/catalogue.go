package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kitaportal/kitaportal/district"
	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/problem"
)

// facility is one Kita as the catalogue command prints it with -json.
type facility struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Address     geo.Address `json:"address"`
	CarrierKind string      `json:"carrier_kind"`
	Lat         float64     `json:"lat,omitempty"`
	Lon         float64     `json:"lon,omitempty"`
	District    string      `json:"district"`
}

// catalogue runs "catalogue check" (a dry run) or "catalogue import" (the
// whole file or nothing, written to -out).
func catalogue(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "check" && args[0] != "import") {
		fmt.Fprintln(stderr, "kitaportal catalogue: check or import is required")
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	mode := args[0]
	fs := newFlags("catalogue "+mode, stderr)
	profileName := fs.String("profile", "", "profile `dir`ectory, or bochum")
	csvPath := fs.String("csv", "", "the city's open-data `file` of Kitas (CSV)")
	layoutPath := fs.String("layout", "", "layout `file` (JSON; default: the profile's catalogue-layout.json)")
	asJSON := fs.Bool("json", false, "print the report and every facility as JSON")
	out := fs.String("out", "", "catalogue `file` to write (JSON; import only)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitUsage
	}
	name := "kitaportal catalogue " + mode
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		return exitUsage
	case *profileName == "" || *csvPath == "":
		fmt.Fprintf(stderr, "%s: -profile and -csv are required\n", name)
		return exitUsage
	case mode == "import" && *out == "":
		fmt.Fprintf(stderr, "%s: -out is required (the file the catalogue is written to)\n", name)
		return exitUsage
	case mode == "check" && *out != "":
		fmt.Fprintf(stderr, "%s: -out belongs to import; check changes nothing\n", name)
		return exitUsage
	}
	p, err := loadProfile(*profileName)
	if err != nil {
		reportIn(stderr, *profileName, err, profileMessages...)
		return exitFail
	}
	var layout kita.CSVMapping
	switch {
	case *layoutPath != "":
		data, err := os.ReadFile(*layoutPath)
		if err == nil {
			err = json.Unmarshal(data, &layout)
		}
		if err == nil {
			err = layout.Validate()
		}
		if err != nil {
			reportIn(stderr, *layoutPath, err, kita.Messages)
			return exitFail
		}
	case p.CatalogueLayout != nil:
		layout = *p.CatalogueLayout
	default:
		fmt.Fprintf(stderr, "%s: the profile has no catalogue-layout.json; give -layout\n", name)
		return exitFail
	}
	f, err := os.Open(*csvPath)
	if err != nil {
		fmt.Fprintf(stderr, "kitaportal: %v\n", err)
		return exitFail
	}
	defer f.Close()

	opt := kita.ImportOptions{Districts: p.Districts}
	if p.Districts.HasOutline() {
		opt.Area = p.Districts
	}
	layout.Allowed = p.Registration.Hours
	res, err := kita.Import(f, layout, opt)
	rep := res.Report
	rep.DryRun = mode == "check"
	var l problem.List
	if err != nil && !errors.As(err, &l) {
		fmt.Fprintf(stderr, "kitaportal: %s: %v\n", *csvPath, err)
		return exitFail
	}
	if *asJSON {
		if code := printJSON(stdout, rep, res.Kitas); code != exitOK {
			return code
		}
	} else {
		printReport(stdout, *csvPath, rep, p.Districts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %s: %s, nothing imported\n", name, *csvPath, counted(len(rep.Problems), "problem"))
		return exitFail
	}
	if mode == "import" {
		// The catalogue checks the whole set once more (unique ids, the
		// city's hours) before anything is written.
		cat, err := kita.NewCatalogue(res.Kitas, p.Registration.Hours)
		if err == nil {
			err = writeCatalogue(*out, cat.All())
		}
		if err != nil {
			reportIn(stderr, *out, err, kita.Messages)
			return exitFail
		}
		fmt.Fprintf(stderr, "%s: %d Kitas written to %s\n", name, cat.Len(), *out)
	}
	return exitOK
}

func printJSON(w io.Writer, rep kita.ImportReport, kitas []kita.Kita) int {
	doc := struct {
		Report     kita.ImportReport `json:"report"`
		Facilities []facility        `json:"facilities"`
	}{Report: rep, Facilities: []facility{}}
	for _, k := range kitas {
		doc.Facilities = append(doc.Facilities, facility{ID: k.ID, Name: k.Name, Address: k.Address,
			CarrierKind: k.Carrier.Kind.String(), Lat: k.Location.Lat, Lon: k.Location.Lon, District: k.District})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return exitFail
	}
	if _, err := buf.WriteTo(w); err != nil {
		return exitFail
	}
	return exitOK
}

func printReport(w io.Writer, path string, rep kita.ImportReport, dir *district.Directory) {
	tr := problem.NewTranslator(kita.Messages)
	fmt.Fprintf(w, "%s: %d rows, %d facilities, %d rows merged (%s, separator %q)\n",
		filepath.Base(path), rep.Rows, rep.Facilities, rep.Merged, rep.Encoding, rep.Separator)
	if len(rep.Defaults) > 0 {
		keys := make([]string, 0, len(rep.Defaults))
		for k := range rep.Defaults {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %d", k, rep.Defaults[k])
		}
		fmt.Fprintf(w, "defaults applied: %s\n", strings.Join(parts, ", "))
	}
	if n := len(rep.CarrierMaintained); n > 0 {
		fmt.Fprintf(w, "to be maintained by the carriers: %d facilities\n", n)
	}
	if dir != nil {
		fmt.Fprintf(w, "districts by: %s\n", orderText(dir.Order()))
	}
	line := func(p kita.RowProblem) string {
		pr := problem.Problem{Code: p.Code, Params: p.Params}
		where := "file"
		if p.Line > 0 {
			where = fmt.Sprintf("line %d", p.Line)
		}
		switch {
		case p.Column != "":
			where += ": column " + p.Column
		case p.Field != "":
			where += ": " + p.Field
		}
		return where + ": " + tr.Message(pr, "en")
	}
	if len(rep.Notices) > 0 {
		fmt.Fprintln(w, counted(len(rep.Notices), "notice"))
		for _, n := range rep.Notices {
			fmt.Fprintf(w, "  %s\n", line(n))
		}
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintln(w, counted(len(rep.Problems), "problem"))
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "  %s\n", line(p))
		}
		return
	}
	if rep.DryRun {
		fmt.Fprintln(w, "ok: the file can be imported (dry run, nothing changed)")
	} else {
		fmt.Fprintln(w, "ok: imported")
	}
}

func orderText(ms []district.Method) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = m.String()
	}
	return strings.Join(s, " → ")
}

// writeCatalogue writes the Kitas as JSON through a temporary file, so that
// an existing catalogue file is replaced whole or not at all.
func writeCatalogue(path string, kitas []kita.Kita) error {
	data, err := json.MarshalIndent(kitas, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".catalogue-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// profileMessages are the catalogs of a profile's problems.
var profileMessages = []problem.Catalog{municipality.Messages, district.Messages, kita.Messages}

// reportIn prints every problem of err in English with the given messages.
func reportIn(w io.Writer, path string, err error, msgs ...problem.Catalog) {
	var list problem.List
	if !errors.As(err, &list) {
		fmt.Fprintf(w, "kitaportal: %s: %v\n", path, err)
		return
	}
	tr := problem.NewTranslator(msgs...)
	fmt.Fprintf(w, "kitaportal: %s: %s\n", path, counted(len(list), "problem"))
	for _, line := range tr.Messages(list, "en") {
		fmt.Fprintf(w, "  %s\n", strings.TrimSpace(line))
	}
}
