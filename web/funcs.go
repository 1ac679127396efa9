package web

import (
	"html/template"
	"time"

	"github.com/rickb777/date"
)

// funcs are the template helpers: dates as Germans write them, and
// small arithmetic for ranks.
var funcs = template.FuncMap{
	"date": func(d date.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.Format("02.01.2006")
	},
	"iso": func(d date.Date) string { return d.Format("2006-01-02") },
	// month writes a pool's month "YYYY-MM" as "MM/YYYY".
	"month": func(m string) string {
		if len(m) != 7 || m[4] != '-' {
			return m
		}
		return m[5:] + "/" + m[:4]
	},
	"time": func(t time.Time) string { return t.Format("02.01.2006 15:04") },
	"add":  func(a, b int) int { return a + b },
	"km":   func(f float64) string { return template.HTMLEscapeString(formatKm(f)) },
}

func formatKm(f float64) string {
	n := int(f*10 + 0.5)
	return itoa(n/10) + "," + itoa(n%10)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
