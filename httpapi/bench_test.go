package httpapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/store/memory"
	"github.com/kitaportal/kitaportal/store/postgres"
)

// BenchmarkSubmit submits Voranmeldungen over a real listener, each for a
// family of its own, as the families of a Bochum year do (8,861 children
// in a year, most of them in a few weeks): in memory with 8 concurrent
// clients, and on PostgreSQL with 16. It reports submissions per second
// and the p50 and p99 latency.
func BenchmarkSubmit(b *testing.B) {
	for _, tc := range []struct {
		name    string
		clients int
		store   func(b *testing.B) app.Store
	}{
		// The in-memory store as `kitaportal serve` makes it: sized for a
		// Bochum year (memory.NewSized).
		{"memory", 8, func(b *testing.B) app.Store {
			s, err := memory.NewSized(35_703)
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
		{"postgres-16-clients", 16, func(b *testing.B) app.Store { return postgresStore(b, 32) }},
		// Reference numbers reserved 16 at a time (postgres.NumberBlock):
		// one draw in 16 costs a statement.
		{"postgres-16-clients-number-blocks", 16, func(b *testing.B) app.Store { return postgresStore(b, 32, postgres.NumberBlock(16)) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			e := newEnv(b, tc.store(b), httpapi.Limits{PerClient: -1, PerFamily: -1})
			// Every family registers a child of its own (the same child in
			// two families would be flagged for review each time).
			body := func(i int64) []byte {
				in := e.input(givenNames[i%int64(len(givenNames))], e.chosen, false)
				child := in["child"].(map[string]any)
				child["family_name"] = familyNames[(i/int64(len(givenNames)))%int64(len(familyNames))]
				child["birth_date"] = e.birth.Add(date.PeriodOfDays(i / int64(len(givenNames)*len(familyNames)) % 300)).String()
				raw, err := json.Marshal(in)
				if err != nil {
					b.Fatal(err)
				}
				return raw
			}
			// The families' requests are written out before the clock runs,
			// and every client writes them on a connection it keeps open (as
			// a city's reverse proxy does) and reads the answers with
			// http.ReadResponse, as load generators such as wrk do: client
			// and server share the machine's two cores, and the benchmark
			// measures the server, not net/http's client transport.
			addr := e.srv.Listener.Addr().String()
			reqs := make([][]byte, b.N)
			for i := range reqs {
				fam := "F" + strconv.Itoa(i+1)
				raw := body(int64(i + 1))
				reqs[i] = fmt.Appendf(nil, "POST /api/v1/applications HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"+
					"Authorization: Bearer %s\r\nIdempotency-Key: %s\r\nContent-Length: %d\r\n\r\n%s",
					addr, e.dev.Token(access.NewGuardian("g"+fam, fam)), fam, len(raw), raw)
			}
			var n atomic.Int64
			var mu sync.Mutex
			var lat []time.Duration
			b.SetParallelism((tc.clients + 1) / 2) // goroutines = parallelism x GOMAXPROCS (2 here)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				conn, err := net.Dial("tcp", addr)
				if err != nil {
					b.Error(err)
					return
				}
				defer conn.Close()
				answers := bufio.NewReader(conn)
				var mine []time.Duration
				for pb.Next() {
					req := reqs[n.Add(1)-1]
					t0 := time.Now()
					if _, err := conn.Write(req); err != nil {
						b.Error(err)
						return
					}
					res, err := http.ReadResponse(answers, nil)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, res.Body)
					_ = res.Body.Close()
					mine = append(mine, time.Since(t0))
					if res.StatusCode != http.StatusCreated || res.Close {
						b.Errorf("status %d, connection closed %v", res.StatusCode, res.Close)
						return
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				mu.Unlock()
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if len(lat) == 0 {
				return
			}
			slices.Sort(lat)
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "submissions/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

var givenNames = []string{"Lotte", "Mia", "Ben", "Emil", "Hanna", "Leon", "Aylin", "Mehmet", "Sofia", "Noah",
	"Zeynep", "Paul", "Emilia", "Elias", "Oksana", "Jonas", "Marie", "Yusuf", "Ida", "Anton"}

var familyNames = []string{"Beispiel", "Müller", "Schmidt", "Yılmaz", "Kowalski", "Schneider", "Fischer", "Weber",
	"Öztürk", "Nowak", "Becker", "Hoffmann", "Kaya", "Koch", "Richter", "Wolf", "Schäfer", "Krüger", "Demir", "Petrenko"}
