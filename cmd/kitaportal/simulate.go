package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/kitaportal/kitaportal/allocation"
)

// sizes are named real-world sizes for simulate -size.
var sizes = map[string]allocation.Synthetic{
	// A Bochum year: 8,861 children, 190 Kitas, 11,435 places.
	"bochum": {Applicants: 8861, Facilities: 190, Choices: 5, Capacity: 11435, Bands: true},
	// All of North Rhine-Westphalia: 750,000 children, 10,500 Kitas.
	"nrw": {Applicants: 750000, Facilities: 10500, Choices: 5, Capacity: 650000, Bands: true},
}

// simulate writes a synthetic instance: no personal data, realistic sizes,
// popular Kitas chosen more often, for test suites and analysts.
func simulate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("simulate", stderr)
	size := fs.String("size", "", "a named size: bochum or nrw (other flags override its parts)")
	applicants := fs.Int("applicants", 1000, "number of children")
	facilities := fs.Int("facilities", 20, "number of Kitas")
	choices := fs.Int("choices", 5, "Kitas each child ranks")
	capacity := fs.Int("capacity", 800, "total places")
	bands := fs.Bool("bands", false, "give about half the Kitas u3/o3 quotas")
	families := fs.Int("families", 0, "per cent of children in families placed together (as many again in sibling families)")
	hours := fs.Bool("hours", false, "split places into pools of 35, 45 and 25 weekly hours; every choice names hours (format v2)")
	months := fs.Bool("months", false, "places free from August, November or February; every child has a start month (format v2)")
	seed := fs.Uint64("seed", 1, "seed of the instance and its lottery")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kitaportal simulate: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	spec := allocation.Synthetic{Applicants: *applicants, Facilities: *facilities, Choices: *choices, Capacity: *capacity, Bands: *bands, Families: *families, Hours: *hours, Months: *months}
	if *size != "" {
		named, ok := sizes[*size]
		if !ok {
			fmt.Fprintf(stderr, "kitaportal simulate: unknown size %q (bochum, nrw)\n", *size)
			return exitUsage
		}
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["applicants"] {
			spec.Applicants = named.Applicants
		}
		if !set["facilities"] {
			spec.Facilities = named.Facilities
		}
		if !set["choices"] {
			spec.Choices = named.Choices
		}
		if !set["capacity"] {
			spec.Capacity = named.Capacity
		}
		if !set["bands"] {
			spec.Bands = named.Bands
		}
	}
	inst, err := spec.Generate(*seed)
	if err != nil {
		report(stderr, "simulate", err)
		return exitFail
	}
	if err := writeInstance(stdout, inst); err != nil {
		fmt.Fprintf(stderr, "kitaportal simulate: %v\n", err)
		return exitFail
	}
	return exitOK
}

// writeInstance writes inst compactly, one applicant or Kita per line, so
// that the file is small, quick to read and still easy to grep and diff.
func writeInstance(w io.Writer, inst allocation.Instance) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var line []byte
	list := func(name string, n int, elem func(i int) any) error {
		bw.WriteString(`"` + name + `":[`)
		for i := 0; i < n; i++ {
			var err error
			if line, err = json.Marshal(elem(i)); err != nil {
				return err
			}
			if i > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString("\n")
			bw.Write(line)
		}
		_, err := bw.WriteString("\n]")
		return err
	}
	bw.WriteString("{")
	if err := list("applicants", len(inst.Applicants), func(i int) any { return inst.Applicants[i] }); err != nil {
		return err
	}
	bw.WriteString(",\n")
	if err := list("facilities", len(inst.Facilities), func(i int) any { return inst.Facilities[i] }); err != nil {
		return err
	}
	if len(inst.Families) > 0 {
		bw.WriteString(",\n")
		if err := list("families", len(inst.Families), func(i int) any { return inst.Families[i] }); err != nil {
			return err
		}
	}
	rest, err := json.Marshal(struct {
		Format string            `json:"format,omitempty"`
		Policy allocation.Policy `json:"policy"`
		Fixed  map[string]string `json:"fixed,omitempty"`
	}{inst.Format, inst.Policy, inst.Fixed})
	if err != nil {
		return err
	}
	bw.WriteString(",\n")
	bw.Write(rest[1 : len(rest)-1])
	bw.WriteString("}\n")
	return bw.Flush()
}
