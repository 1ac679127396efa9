// Package budget bounds the work of one execution of a text/template that
// someone other than the program wrote (a city's message template, a
// carrier's contract clause): steps, text produced by functions, printf
// widths, and wall-clock time.
//
// text/template has no such limits of its own. A template of a few hundred
// bytes can double a variable thirty times ({{$x = printf "%s%s" $x $x}}),
// ask printf for a width of a million, or spin through nested loops
// without writing anything. A [Budget] replaces the text-producing builtins
// (printf, print, println, html, js, urlquery) with versions that check
// the size of their result before they build it, and [InsertSteps] puts a
// call that spends a step at the head of every loop body, so that every
// iteration is counted and the clock is looked at.
//
// # Error contract
//
// A spent budget ends the execution with an error that wraps one of
// [ErrSteps], [ErrWork], [ErrFormat], [ErrTimeout] or [ErrCancelled];
// text/template keeps the wrapping, so errors.Is finds them. The errors
// quote nothing of the template or its data.
package budget

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
)

// The ways a budget is spent.
var (
	ErrSteps     = errors.New("budget: too many steps")
	ErrWork      = errors.New("budget: functions produced too much text")
	ErrFormat    = errors.New("budget: printf width or precision too large")
	ErrTimeout   = errors.New("budget: time spent")
	ErrCancelled = errors.New("budget: cancelled")
)

// Limits are what one execution may spend.
type Limits struct {
	// Steps bounds actions entered, function calls and writes.
	Steps int
	// Work bounds the bytes that functions produce, intermediate values
	// included.
	Work int
	// FormatWidth is the largest width or precision of a printf verb.
	FormatWidth int
	// Time bounds the wall-clock time; a context may shorten it.
	Time time.Duration
}

// Budget is the state of one execution at a time. Its functions
// ([Budget.Funcs]) are bound to it, so a template clone that carries them
// can be reused: [Budget.Reset] starts the next execution. A Budget is
// not safe for concurrent use.
type Budget struct {
	limits   Limits
	ctx      context.Context
	deadline time.Time
	steps    int
	work     int
}

// New returns a budget with limits l, ready after [Budget.Reset].
func New(l Limits) *Budget { return &Budget{limits: l, ctx: context.Background()} }

// Reset starts a new execution under ctx.
func (b *Budget) Reset(ctx context.Context) {
	deadline := time.Now().Add(b.limits.Time)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	*b = Budget{limits: b.limits, ctx: ctx, deadline: deadline}
}

// Release drops the context of the last execution, so that a pooled
// budget keeps nothing alive.
func (b *Budget) Release() { b.ctx = context.Background() }

// Tick spends one step and looks at the clock and the context every few
// steps (and on the first).
func (b *Budget) Tick() error {
	b.steps++
	if b.steps > b.limits.Steps {
		return ErrSteps
	}
	if b.steps%32 == 1 {
		if err := b.ctx.Err(); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				return ErrTimeout
			}
			return ErrCancelled
		}
		if !time.Now().Before(b.deadline) {
			return ErrTimeout
		}
	}
	return nil
}

// Spend spends a step and n bytes of function output, or fails without
// spending them when they do not fit.
func (b *Budget) Spend(n int) error {
	if err := b.Tick(); err != nil {
		return err
	}
	if n < 0 || n > b.limits.Work-b.work {
		b.work = b.limits.Work
		return ErrWork
	}
	b.work += n
	return nil
}

// ArgBytes is an upper bound of the bytes a function's arguments add to
// its result: a text counts its length, a list of texts their lengths,
// anything else (a number, a date, a value of the program's data) 64.
func ArgBytes(args ...any) int {
	n := 0
	for _, a := range args {
		switch v := a.(type) {
		case string:
			n += len(v)
		case []string:
			for _, s := range v {
				n += len(s) + 1
			}
		default:
			n += 64
		}
	}
	return n
}

// StepFunc is the name of the function [InsertSteps] calls.
const StepFunc = "budget_step"

// Funcs returns the budgeted replacements of text/template's
// text-producing builtins and the step function, bound to b, merged with
// extra (a template's own functions, which should spend through
// [Budget.Spend]).
func (b *Budget) Funcs(extra template.FuncMap) template.FuncMap {
	fm := template.FuncMap{
		"printf": func(format string, args ...any) (string, error) {
			verbs, err := CheckFormat(format, b.limits.FormatWidth)
			if err != nil {
				return "", err
			}
			if err := b.Spend(len(format) + ArgBytes(args...) + verbs*b.limits.FormatWidth); err != nil {
				return "", err
			}
			return fmt.Sprintf(format, args...), nil
		},
		"print": func(args ...any) (string, error) {
			if err := b.Spend(ArgBytes(args...) + len(args)); err != nil {
				return "", err
			}
			return fmt.Sprint(args...), nil
		},
		"println": func(args ...any) (string, error) {
			if err := b.Spend(ArgBytes(args...) + len(args) + 1); err != nil {
				return "", err
			}
			return fmt.Sprintln(args...), nil
		},
		// Escaping makes a byte at most six ("<" becomes "&lt;", "\u00e9"
		// in js "\u00E9"), a query byte at most three ("%C3").
		"html":     b.escaper(6, template.HTMLEscaper),
		"js":       b.escaper(6, template.JSEscaper),
		"urlquery": b.escaper(3, template.URLQueryEscaper),
		StepFunc:   func() (string, error) { return "", b.Tick() },
	}
	for name, fn := range extra {
		fm[name] = fn
	}
	return fm
}

// escaper budgets an escaping function whose result is at most factor
// times as long as its arguments.
func (b *Budget) escaper(factor int, escape func(...any) string) func(...any) (string, error) {
	return func(args ...any) (string, error) {
		if err := b.Spend(factor * ArgBytes(args...)); err != nil {
			return "", err
		}
		return escape(args...), nil
	}
}

// stepNode is the action InsertSteps puts at the head of every list, from
// a tree of its own, so that an error it reports has a position to name.
var stepNode = func() parse.Node {
	t := template.Must(template.New(StepFunc).Funcs(New(Limits{}).Funcs(nil)).Parse("{{" + StepFunc + "}}"))
	return t.Tree.Root.Nodes[0]
}()

// InsertSteps puts a step at the head of the template's root list and of
// every {{range}} body, so that each iteration spends a step and looks at
// the clock even when it neither writes nor calls a function. (The bodies
// of if and with run at most once per enclosing iteration; their actions
// are counted when they write or call.) The template must have been parsed
// with [Budget.Funcs] of some budget, and must run with those of its own.
func InsertSteps(root *parse.ListNode) {
	insertSteps(root, true)
}

func insertSteps(n parse.Node, head bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			insertSteps(c, false)
		}
		if head {
			n.Nodes = append([]parse.Node{stepNode}, n.Nodes...)
		}
	case *parse.RangeNode:
		insertSteps(n.List, true)
		insertSteps(n.ElseList, false)
	case *parse.IfNode:
		insertSteps(n.List, false)
		insertSteps(n.ElseList, false)
	case *parse.WithNode:
		insertSteps(n.List, false)
		insertSteps(n.ElseList, false)
	}
}

// CheckFormat counts the verbs of a printf format and fails with
// [ErrFormat] on a width or precision over max or given as an argument
// ("%*d").
func CheckFormat(format string, max int) (verbs int, err error) {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		verbs++
		num := 0
	flags:
		for ; i < len(format); i++ {
			switch c := format[i]; {
			case c >= '0' && c <= '9':
				num = num*10 + int(c-'0')
				if num > max {
					return 0, ErrFormat
				}
			case c == '*':
				return 0, ErrFormat
			case strings.IndexByte(".+-# []", c) >= 0:
				num = 0
			default:
				break flags
			}
		}
	}
	return verbs, nil
}

// LiteralFormat reports whether a pipeline calls printf with a literal
// format that fails [CheckFormat], so that such a template can be
// refused when it is parsed.
func LiteralFormat(p *parse.PipeNode, max int) bool {
	if p == nil {
		return false
	}
	for _, cmd := range p.Cmds {
		for i, arg := range cmd.Args {
			switch a := arg.(type) {
			case *parse.IdentifierNode:
				if a.Ident == "printf" && i+1 < len(cmd.Args) {
					if f, ok := cmd.Args[i+1].(*parse.StringNode); ok {
						if _, err := CheckFormat(f.Text, max); err != nil {
							return true
						}
					}
				}
			case *parse.PipeNode:
				if LiteralFormat(a, max) {
					return true
				}
			}
		}
	}
	return false
}
