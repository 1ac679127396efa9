package contract

import (
	"strings"
	"time"

	"github.com/rickb777/date"
	"github.com/shopspring/decimal"
)

// FormatEuro formats an amount rounded to cents (half away from zero) in the
// convention of l: German "1.234,56 €", English "€1,234.56".
func FormatEuro(d decimal.Decimal, l Language) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	thou, dec := ".", ","
	if l == English {
		thou, dec = ",", "."
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if l == English {
		b.WriteString("€")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(r)
	}
	b.WriteString(dec)
	b.WriteString(frac)
	if l != English {
		b.WriteString(" €")
	}
	return b.String()
}

func formatPercent(d decimal.Decimal, l Language) string {
	s := d.String()
	if l != English {
		s = strings.Replace(s, ".", ",", 1)
		return s + " %"
	}
	return s + "%"
}

// FormatDate formats a day as "01.08.2025" (German) or "1 August 2025" (English).
func FormatDate(d date.Date, l Language) string {
	if l == English {
		return d.Format("2 January 2006")
	}
	return d.Format("02.01.2006")
}

func dateOf(t interface{ Date() (int, time.Month, int) }) date.Date {
	y, m, d := t.Date()
	return date.New(y, m, d)
}
