package contract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/kitaportal/kitaportal/internal/budget"
	"github.com/kitaportal/kitaportal/problem"
)

// Limits of clause templates. A template can neither run code nor read
// files: it is parsed by text/template with no functions beyond the
// builtins, and the actions range, template, define, block, break, continue
// and the builtin call are rejected, so execution time is linear in the
// template's size. Output is capped as well.
const (
	MaxClauses      = 40
	MaxClauseSource = 8000
	MaxClauseTitle  = 200
	MaxClauseOutput = 16000
)

// ClauseText is one clause as a city or carrier writes it: a key shared by
// all languages, a plain title and a text/template body over [ClauseData].
type ClauseText struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Clause is a clause filled in for one contract.
type Clause struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

// ClauseData is what a clause template can refer to, such as
// {{.Provider}} or {{if .MealPlan}}...{{end}}. Dates and amounts come
// formatted in the contract's language.
type ClauseData struct {
	Number          string
	IsKita          bool
	Provider        string
	Carrier         string
	Representative  string
	Child           string
	Start           string
	End             string
	Hours           int
	SettlingInWeeks int
	MealPlan        bool
	MealFee         string
	ClosureDays     int
	NoticeMonths    int
}

// Clauses is a checked set of clause templates in German (binding) and
// English (translation), the same keys in the same order. It is safe for
// concurrent use.
type Clauses struct {
	de, en []parsedClause
}

type parsedClause struct {
	key, title string
	tmpl       *template.Template
}

var keyPattern = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// sampleData fills every field, so that a template referring to an unknown
// field fails when it is parsed, not when a contract is generated.
var sampleData = ClauseData{Number: "X", IsKita: true, Provider: "P", Carrier: "C", Representative: "R",
	Child: "K", Start: "S", End: "E", Hours: 35, SettlingInWeeks: 4, MealPlan: true, MealFee: "M", ClosureDays: 20, NoticeMonths: 3}

// ParseClauses checks and parses the German and English clause templates.
// Every problem of every template is returned at once as a [problem.List]
// with field paths such as "de[2].body"; the list never quotes the template.
func ParseClauses(de, en []ClauseText) (*Clauses, error) {
	var c problem.Collector
	out := &Clauses{}
	out.de = parseSet(&c, "de", de)
	out.en = parseSet(&c, "en", en)
	if len(de) == len(en) {
		for i := range de {
			if de[i].Key != en[i].Key {
				c.Add(fmt.Sprintf("en[%d].key", i), CodeClauseTranslation, ErrClause)
			}
		}
	} else {
		c.Add("en", CodeClauseTranslation, ErrClause)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func parseSet(c *problem.Collector, lang string, src []ClauseText) []parsedClause {
	if len(src) == 0 || len(src) > MaxClauses {
		c.Add(lang, CodeClauseCount, ErrClause, "max", fmt.Sprint(MaxClauses))
		return nil
	}
	keys := map[string]bool{}
	out := make([]parsedClause, 0, len(src))
	for i, ct := range src {
		f := fmt.Sprintf("%s[%d]", lang, i)
		if !keyPattern.MatchString(ct.Key) || keys[ct.Key] {
			c.Add(f+".key", CodeClauseKey, ErrClause)
		}
		keys[ct.Key] = true
		if len(ct.Title) > MaxClauseTitle {
			c.Add(f+".title", CodeClauseTooLong, ErrClause, "max", fmt.Sprint(MaxClauseTitle))
		}
		if len(ct.Body) > MaxClauseSource {
			c.Add(f+".body", CodeClauseTooLong, ErrClause, "max", fmt.Sprint(MaxClauseSource))
			continue
		}
		t, err := parseClause(ct.Key, ct.Body)
		if err != nil {
			var fe forbiddenError
			if errors.As(err, &fe) {
				c.Add(f+".body", CodeClauseForbidden, ErrClause, "action", string(fe))
			} else {
				c.Add(f+".body", CodeClauseSyntax, ErrClause)
			}
			continue
		}
		if _, err := execute(t, sampleData); err != nil {
			if errors.Is(err, errTooLong) {
				c.Add(f+".body", CodeClauseTooLong, ErrClause, "max", fmt.Sprint(MaxClauseOutput))
			} else {
				c.Add(f+".body", CodeClauseExecution, ErrClause)
			}
			continue
		}
		out = append(out, parsedClause{key: ct.Key, title: ct.Title, tmpl: t})
	}
	return out
}

// forbiddenError names an action a clause template must not use.
type forbiddenError string

func (e forbiddenError) Error() string { return "contract: forbidden template action " + string(e) }

func parseClause(name, body string) (t *template.Template, err error) {
	defer func() { // text/template must never take the process down
		if r := recover(); r != nil {
			t, err = nil, ErrClause
		}
	}()
	t, err = template.New(name).Funcs(clauseParseFuncs).Option("missingkey=error").Parse(body)
	if err != nil {
		return nil, err
	}
	if len(t.Templates()) > 1 {
		return nil, forbiddenError("define")
	}
	if t.Tree == nil || t.Tree.Root == nil {
		return t, nil
	}
	if err := checkNode(t.Tree.Root); err != nil {
		return nil, err
	}
	budget.InsertSteps(t.Tree.Root)
	return t, nil
}

// clauseLimits bound one filling-in of one clause: printf and its kin
// (the only functions a clause has) check the size of their result before
// they build it, so that {{$x = printf "%s%s" $x $x}} cannot grow a value
// past a mebibyte, and every action spends a step.
var clauseLimits = budget.Limits{Steps: 10_000, Work: 1 << 20, FormatWidth: MaxClauseOutput, Time: time.Second}

// clauseParseFuncs bind the budgeted functions' names for parsing.
var clauseParseFuncs = budget.New(clauseLimits).Funcs(nil)

// checkNode walks the parse tree and rejects actions that could loop,
// recurse or call functions.
func checkNode(n parse.Node) error {
	switch n := n.(type) {
	case nil:
		return nil
	case *parse.ListNode:
		if n == nil {
			return nil
		}
		for _, c := range n.Nodes {
			if err := checkNode(c); err != nil {
				return err
			}
		}
	case *parse.TextNode, *parse.CommentNode:
	case *parse.ActionNode:
		return checkPipe(n.Pipe)
	case *parse.IfNode:
		return checkBranch(&n.BranchNode)
	case *parse.WithNode:
		return checkBranch(&n.BranchNode)
	case *parse.RangeNode:
		return forbiddenError("range")
	case *parse.TemplateNode:
		return forbiddenError("template")
	case *parse.BreakNode, *parse.ContinueNode:
		return forbiddenError("break")
	default:
		return forbiddenError("unknown")
	}
	return nil
}

func checkBranch(b *parse.BranchNode) error {
	if err := checkPipe(b.Pipe); err != nil {
		return err
	}
	if err := checkNode(b.List); err != nil {
		return err
	}
	if b.ElseList != nil {
		return checkNode(b.ElseList)
	}
	return nil
}

func checkPipe(p *parse.PipeNode) error {
	if p == nil {
		return nil
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			switch a := arg.(type) {
			case *parse.IdentifierNode:
				if a.Ident == "call" {
					return forbiddenError("call")
				}
			case *parse.PipeNode:
				if err := checkPipe(a); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

var errTooLong = errors.New("contract: clause output too long")

type limitWriter struct {
	b strings.Builder
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > MaxClauseOutput {
		return 0, errTooLong
	}
	return w.b.Write(p)
}

func execute(t *template.Template, data ClauseData) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = "", ErrClause
		}
	}()
	b := budget.New(clauseLimits)
	b.Reset(context.Background())
	run, err := t.Clone()
	if err != nil {
		return "", err
	}
	var w limitWriter
	if err := run.Funcs(b.Funcs(nil)).Execute(&w, data); err != nil {
		if errors.Is(err, errTooLong) || errors.Is(err, budget.ErrWork) {
			return "", errTooLong
		}
		return "", err
	}
	return w.b.String(), nil
}

// render fills in the clauses of language l.
func (cs *Clauses) render(l Language, data ClauseData) ([]Clause, error) {
	set := cs.de
	if l == English {
		set = cs.en
	}
	out := make([]Clause, 0, len(set))
	for i, pc := range set {
		text, err := execute(pc.tmpl, data)
		if err != nil {
			var c problem.Collector
			c.Add(fmt.Sprintf("clauses.%s[%d].body", l, i), CodeClauseExecution, ErrClause)
			return nil, c.Err()
		}
		out = append(out, Clause{Key: pc.key, Title: pc.title, Text: text})
	}
	return out, nil
}

// DefaultClauses returns the built-in clause set (German and English),
// modelled on NRW care contracts. Cities and carriers replace it through
// [ParseClauses].
func DefaultClauses() *Clauses { return defaultClauses() }

var defaultClauses = sync.OnceValue(func() *Clauses {
	cs, err := ParseClauses(DefaultClauseTexts(German), DefaultClauseTexts(English))
	if err != nil {
		panic(err) // the built-in texts are tested
	}
	return cs
})

// DefaultClauseTexts returns the source of the built-in clauses of l, as a
// starting point for a city's own set.
func DefaultClauseTexts(l Language) []ClauseText {
	if l == English {
		return append([]ClauseText(nil), defaultEN...)
	}
	return append([]ClauseText(nil), defaultDE...)
}

// io.Writer check for the limit writer.
var _ io.Writer = (*limitWriter)(nil)

var defaultDE = []ClauseText{
	{"betreuung", "Betreuung", `{{if .IsKita}}Der Träger {{.Carrier}}, vertreten durch die Kita-Leitung {{.Representative}}, nimmt das Kind ab dem {{.Start}} in der Kita {{.Provider}} auf.{{else}}Die Tagespflegeperson {{.Provider}} betreut das Kind ab dem {{.Start}} in Kindertagespflege.{{end}} Der Betreuungsumfang beträgt {{.Hours}} Stunden wöchentlich. Die Betreuungszeiten werden mit den Eltern vereinbart.`},
	{"eingewoehnung", "Eingewöhnung", `Die Betreuung beginnt mit einer Eingewöhnung von mindestens {{.SettlingInWeeks}} Wochen, in der ein Elternteil das Kind begleitet. Dauer und Ablauf richten sich nach dem Kind.`},
	{"verpflegung", "Verpflegung", `{{if .MealPlan}}Das Kind nimmt an der Mittagsverpflegung teil. Das Essensgeld beträgt {{.MealFee}} monatlich.{{else}}Das Kind nimmt nicht an der Mittagsverpflegung teil.{{end}}`},
	{"elternbeitrag", "Elternbeitrag", `Der Elternbeitrag wird nach der Satzung der Stadt einkommensabhängig festgesetzt; maßgeblich ist der Beitragsbescheid des Jugendamts. Die Aufstellung in diesem Vertrag dient der Information. Die letzten zwei Kindergartenjahre vor der Einschulung sind beitragsfrei (§ 50 KiBiz).`},
	{"schliesstage", "Schließtage", `{{if .IsKita}}Die Kita ist an bis zu {{.ClosureDays}} Tagen im Kindergartenjahr geschlossen; die Schließtage werden zu Beginn des Kindergartenjahres bekanntgegeben.{{else}}Urlaubs- und Ausfallzeiten der Tagespflegeperson (bis zu {{.ClosureDays}} Tage im Jahr) werden rechtzeitig mitgeteilt; die Fachberatung vermittelt eine Vertretung.{{end}}`},
	{"kuendigung", "Vertragsende und Kündigung", `Der Vertrag endet ohne Kündigung am {{.End}}, dem Tag vor der Einschulung. Die Eltern können mit einer Frist von {{.NoticeMonths}} Monaten zum Monatsende kündigen. {{if .IsKita}}Der Träger{{else}}Die Tagespflegeperson{{end}} kann nur aus wichtigem Grund kündigen, etwa bei wiederholtem Zahlungsverzug oder wenn eine Zusammenarbeit trotz Gesprächen nicht mehr möglich ist.`},
	{"gesundheit", "Gesundheit", `Ein krankes Kind bleibt zu Hause, bis es gesund ist; ansteckende Krankheiten sind unverzüglich zu melden (§ 34 IfSG). Vor der Aufnahme ist der Masernschutz nachzuweisen (§ 20 Abs. 8 und 9 IfSG); ohne Nachweis darf das Kind nicht betreut werden.`},
	{"abholung", "Abholung", `Das Kind wird von den Sorgeberechtigten oder von Personen abgeholt, die sie schriftlich bevollmächtigt haben.`},
	{"fotos", "Fotos", `Fotos, auf denen das Kind zu erkennen ist, werden nur mit gesonderter, jederzeit widerruflicher Einwilligung der Eltern gemacht und verwendet.`},
	{"datenschutz", "Datenschutz", `Die Daten des Kindes und der Eltern werden nur zur Durchführung dieses Vertrags verarbeitet (Art. 6 Abs. 1 lit. b DSGVO) und nach dem Ende der Aufbewahrungsfristen gelöscht. Die Eltern haben die Rechte aus Art. 15 bis 21 DSGVO.`},
}

var defaultEN = []ClauseText{
	{"betreuung", "Care", `{{if .IsKita}}The carrier {{.Carrier}}, represented by the Kita head {{.Representative}}, admits the child to the Kita {{.Provider}} from {{.Start}}.{{else}}The child-minder {{.Provider}} cares for the child in Kindertagespflege from {{.Start}}.{{end}} Care amounts to {{.Hours}} hours a week. Care times are agreed with the parents.`},
	{"eingewoehnung", "Settling-in period", `Care begins with a settling-in period (Eingewöhnung) of at least {{.SettlingInWeeks}} weeks during which a parent accompanies the child. Its length and course depend on the child.`},
	{"verpflegung", "Meals", `{{if .MealPlan}}The child takes part in the lunch plan. The meal fee is {{.MealFee}} a month.{{else}}The child does not take part in the lunch plan.{{end}}`},
	{"elternbeitrag", "Parent fee", `The parent fee (Elternbeitrag) is set by the city's statute according to income; the youth office's fee notice is binding. The statement in this contract is for information. The last two Kita years before school entry are free of fees (§ 50 KiBiz).`},
	{"schliesstage", "Closure days", `{{if .IsKita}}The Kita closes on up to {{.ClosureDays}} days per Kita year; the closure days are announced at the start of the Kita year.{{else}}Holidays and absences of the child-minder (up to {{.ClosureDays}} days a year) are announced in good time; the Fachberatung arranges a substitute.{{end}}`},
	{"kuendigung", "End and termination", `The contract ends without notice on {{.End}}, the day before school entry. The parents may terminate with {{.NoticeMonths}} months' notice to the end of a month. {{if .IsKita}}The carrier{{else}}The child-minder{{end}} may terminate only for cause, such as repeated late payment or when cooperation has become impossible despite talks.`},
	{"gesundheit", "Health", `A sick child stays at home until it has recovered; infectious diseases must be reported at once (§ 34 IfSG). Proof of measles protection is required before admission (§ 20 (8) and (9) IfSG); without it the child may not be cared for.`},
	{"abholung", "Pick-up", `The child is picked up by the guardians or by persons they have authorised in writing.`},
	{"fotos", "Photos", `Photos in which the child can be recognised are taken and used only with the parents' separate consent, which they may withdraw at any time.`},
	{"datenschutz", "Data protection", `The data of the child and the parents are processed only to perform this contract (Art. 6 (1) (b) GDPR) and deleted when the retention periods end. The parents have the rights of Art. 15 to 21 GDPR.`},
}
