package allocation

import (
	"bufio"
	"io"
	"runtime"
	"strconv"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// WriteJSON writes the outcome as one compact result in the interchange
// format: mechanism, seed, placements, cut-offs and statistics, and, when
// the options asked for explanations, each Kita's priority order and the
// explanations behind it. Applicants and Kitas appear in input order. The
// content equals that of [Outcome.Result] encoded with [Result.MarshalJSON]
// (without priorities unless explained); the cost is linear in the number
// of choices.
func (o *Outcome) WriteJSON(w io.Writer) error {
	if o.opts.Explain || o.e.pairKey == nil {
		o.e.ordered() // the priorities, or the ranks for the cut-offs
	}
	e := o.e
	apps, facs := e.inst.Applicants, e.inst.Facilities
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	flush := func(b []byte) []byte {
		if len(b) >= 1<<15 {
			bw.Write(b) //nolint:errcheck // bufio keeps the first error for Flush
			b = b[:0]
		}
		return b
	}
	b = append(b, `{"mechanism":`...)
	b = appendJSONString(b, o.opts.Mechanism.String())
	b = append(b, `,"seed":`...)
	b = strconv.AppendUint(b, e.inst.Policy.Seed, 10)

	// The statistics are counted while the placements are written.
	stats := make(chan poolStats, 1)
	go func() { stats <- o.statistics() }()
	b = append(b, `,"placements":{`...)
	if len(apps) < placementsChunk*runtime.GOMAXPROCS(0) {
		for a := range apps {
			b = flush(o.appendPlacement(b, a))
		}
	} else {
		bw.Write(b) //nolint:errcheck // bufio keeps the first error for Flush
		o.writePlacements(bw)
		b = b[:0]
	}
	b = append(b, '}')

	if o.opts.Explain {
		b = o.appendOrders(b, "priorities", flush, func(b []byte, p int32, _ int) []byte {
			return appendJSONString(b, apps[e.pairApp[p]].ID)
		})
	}

	st := <-stats
	b = append(b, `,"cutoffs":{`...)
	var cuts []Cutoff
	for f := range facs {
		if f > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, facs[f].ID)
		b = append(b, ":["...)
		cuts = o.cutoffs(f, st, cuts[:0])
		for i, c := range cuts {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			if c.Band != 0 {
				b = append(b, `"band":`...)
				b = appendJSONString(b, c.Band.String())
				b = append(b, ',')
			}
			b = append(b, `"capacity":`...)
			b = strconv.AppendInt(b, int64(c.Capacity), 10)
			b = append(b, `,"admitted":`...)
			b = strconv.AppendInt(b, int64(c.Admitted), 10)
			b = append(b, `,"rank":`...)
			b = strconv.AppendInt(b, int64(c.Rank), 10)
			if c.Applicant != "" {
				b = append(b, `,"applicant":`...)
				b = appendJSONString(b, c.Applicant)
			}
			if c.Hours != 0 {
				b = append(b, `,"hours":`...)
				b = strconv.AppendInt(b, int64(c.Hours), 10)
			}
			if c.From != "" {
				b = append(b, `,"from":`...)
				b = appendJSONString(b, c.From)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
		b = flush(b)
	}
	b = append(b, '}')

	b = append(b, `,"statistics":{"applicants":`...)
	b = strconv.AppendInt(b, int64(st.Applicants), 10)
	b = append(b, `,"fixed":`...)
	b = strconv.AppendInt(b, int64(st.Fixed), 10)
	b = append(b, `,"placed":`...)
	b = strconv.AppendInt(b, int64(st.Placed), 10)
	b = append(b, `,"unplaced":`...)
	b = strconv.AppendInt(b, int64(st.Unplaced), 10)
	b = append(b, `,"first_choice":`...)
	b = strconv.AppendInt(b, int64(st.FirstChoice), 10)
	b = append(b, `,"by_choice":[`...)
	for i, n := range st.ByChoice {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	b = append(b, ']')
	if st.Families > 0 {
		b = append(b, `,"families":`...)
		b = strconv.AppendInt(b, int64(st.Families), 10)
		b = append(b, `,"together":`...)
		b = strconv.AppendInt(b, int64(st.Together), 10)
	}
	b = append(b, '}')

	if o.opts.Explain && len(facs) > 0 {
		var x Explanation
		b = o.appendOrders(b, "explanations", flush, func(b []byte, p int32, r int) []byte {
			x = e.explainInto(x, p, r, e.inst.Policy.Seed)
			return appendExplanation(b, &x)
		})
	}
	if u := o.unstable; u != nil {
		b = append(b, `,"unstable":{"families":`...)
		b = appendStrings(b, u.Families)
		b = append(b, `,"applicants":`...)
		b = appendStrings(b, u.Applicants)
		b = append(b, '}')
	}
	if o.pool != nil {
		first := true
		for a := range apps {
			if d := o.declaredPool(a); d >= 0 {
				if first {
					b = append(b, `,"pools":{`...)
				} else {
					b = append(b, ',')
				}
				first = false
				b = appendJSONString(b, apps[a].ID)
				b = append(b, ':')
				b = strconv.AppendInt(b, int64(d), 10)
				b = flush(b)
			}
		}
		if !first {
			b = append(b, '}')
		}
	}
	b = append(b, "}\n"...)
	bw.Write(b) //nolint:errcheck // bufio keeps the first error for Flush
	return bw.Flush()
}

// placementsChunk is the number of applicants whose placements one
// goroutine writes at a time; outcomes smaller than one chunk per
// processor are written by one.
const placementsChunk = 1 << 14

// appendPlacement appends applicant a's member of "placements", after a
// comma unless a is the first.
func (o *Outcome) appendPlacement(b []byte, a int) []byte {
	if a > 0 {
		b = append(b, ',')
	}
	b = appendJSONString(b, o.e.inst.Applicants[a].ID)
	b = append(b, ':')
	if f := o.placement(a); f != "" {
		return appendJSONString(b, f)
	}
	return append(b, "null"...)
}

// writePlacements writes the members of "placements" to bw: each
// processor appends every GOMAXPROCS-th chunk of applicants into one of
// its two buffers while the chunks before are written, in order.
func (o *Outcome) writePlacements(bw *bufio.Writer) {
	n := len(o.e.inst.Applicants)
	chunks := (n + placementsChunk - 1) / placementsChunk
	type worker struct{ free, done chan []byte }
	workers := make([]worker, min(runtime.GOMAXPROCS(0), chunks))
	for w := range workers {
		wk := worker{free: make(chan []byte, 2), done: make(chan []byte, 2)}
		wk.free <- nil
		wk.free <- nil
		workers[w] = wk
		go func() {
			for c := w; c < chunks; c += len(workers) {
				b := (<-wk.free)[:0]
				for a := c * placementsChunk; a < min(n, (c+1)*placementsChunk); a++ {
					b = o.appendPlacement(b, a)
				}
				wk.done <- b
			}
		}()
	}
	for c := range chunks {
		wk := workers[c%len(workers)]
		b := <-wk.done
		bw.Write(b) //nolint:errcheck // bufio keeps the first error for Flush
		wk.free <- b
	}
}

// appendOrders appends `,"name":{...}`: per Kita, in input order, an array
// with one element per applicant in priority order, written by elem (given
// the pair and its 0-based rank).
func (o *Outcome) appendOrders(b []byte, name string, flush func([]byte) []byte, elem func(b []byte, p int32, r int) []byte) []byte {
	e := o.e
	b = append(b, `,"`+name+`":{`...)
	for f := range e.inst.Facilities {
		if f > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, e.inst.Facilities[f].ID)
		b = append(b, ":["...)
		for r, p := range e.facOrder[e.facStart[f]:e.facStart[f+1]] {
			if r > 0 {
				b = append(b, ',')
			}
			b = elem(b, p, r)
			b = flush(b)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendExplanation(b []byte, x *Explanation) []byte {
	b = append(b, `{"applicant":`...)
	b = appendJSONString(b, x.Applicant)
	b = append(b, `,"rank":`...)
	b = strconv.AppendInt(b, int64(x.Rank), 10)
	if x.Explicit {
		b = append(b, `,"explicit":true`...)
	}
	for _, s := range []struct {
		name   string
		scores []Score
	}{{`,"tiers":[`, x.Tiers}, {`,"points":[`, x.Points}} {
		if len(s.scores) == 0 {
			continue
		}
		b = append(b, s.name...)
		for i, sc := range s.scores {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"criterion":`...)
			b = appendJSONString(b, sc.Criterion.String())
			b = append(b, `,"value":`...)
			b = strconv.AppendInt(b, sc.Value, 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, x.Total, 10)
	b = append(b, `,"lottery":`...)
	b = strconv.AppendUint(b, x.Lottery, 10)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string. Plain printable ASCII is
// copied as is; anything else is quoted by jsontext (invalid UTF-8
// becomes U+FFFD, as encoding/json does).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			q, _ := jsontext.AppendQuote(b, s)
			return q
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendStrings appends ids as a JSON array.
func appendStrings(b []byte, ids []string) []byte {
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, id)
	}
	return append(b, ']')
}
