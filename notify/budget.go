package notify

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"
)

// The render budget: what one rendering of one message (its subject and
// its body together) may spend. A template that needs more fails with a
// problem naming the limit; nothing it produced is kept.
const (
	// MaxRenderSteps bounds the actions, function calls, written pieces
	// and {{range}}/{{if}}/{{with}} bodies entered. The longest built-in
	// message needs a few hundred.
	MaxRenderSteps = 100_000
	// MaxRenderWork bounds the text, in bytes, that functions (printf,
	// print, join, html ...) produce, intermediate values included, so that
	// {{$x = printf "%s%s" $x $x}} cannot double a value past it.
	MaxRenderWork = 4 << 20
	// MaxRenderTime bounds the wall-clock time of one rendering; a
	// context passed to [Templates.RenderContext] may shorten it.
	MaxRenderTime = 2 * time.Second
	// MaxFormatWidth is the largest width or precision a printf verb may
	// ask for ("%80s" is fine, "%900000d" is not).
	MaxFormatWidth = 200
)

// Causes of a failed rendering; execute turns them into problem codes.
var (
	errTooLarge  = errors.New("notify: output too large")
	errSteps     = errors.New("notify: render step budget spent")
	errWork      = errors.New("notify: render work budget spent")
	errTimeout   = errors.New("notify: render time budget spent")
	errFormat    = errors.New("notify: printf width or precision too large")
	errCancelled = errors.New("notify: rendering cancelled")
)

// budget is the state of one rendering.
type budget struct {
	ctx      context.Context
	deadline time.Time
	steps    int
	work     int
}

// reset starts a new rendering under ctx.
func (b *budget) reset(ctx context.Context) {
	deadline := time.Now().Add(MaxRenderTime)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	*b = budget{ctx: ctx, deadline: deadline}
}

// tick spends one step and checks the clock and the context every few
// steps (and on the first).
func (b *budget) tick() error {
	b.steps++
	if b.steps > MaxRenderSteps {
		return errSteps
	}
	if b.steps%32 == 1 {
		if b.ctx.Err() != nil {
			if errors.Is(b.ctx.Err(), context.DeadlineExceeded) {
				return errTimeout
			}
			return errCancelled
		}
		if !time.Now().Before(b.deadline) {
			return errTimeout
		}
	}
	return nil
}

// spend checks that n more bytes of function output fit the budget and
// spends them.
func (b *budget) spend(n int) error {
	if err := b.tick(); err != nil {
		return err
	}
	if n < 0 || n > MaxRenderWork-b.work {
		b.work = MaxRenderWork
		return errWork
	}
	b.work += n
	return nil
}

// argBytes is an upper bound of the bytes a function's arguments
// contribute to its result, for the check before it runs. Non-string
// values (numbers, dates, the data's lists) are bounded by the data.
func argBytes(args []any) int {
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

// funcs are the template functions of one rendering: the documented ones
// plus budgeted replacements of text/template's text-producing builtins.
// At parse time they are bound to a nil budget; only their names matter
// there.
func (b *budget) funcs() template.FuncMap {
	return template.FuncMap{
		"date":    func(d Date) (string, error) { return d.Format("02.01.2006"), b.spend(10) },
		"isodate": func(d Date) (string, error) { return d.Format(time.DateOnly), b.spend(10) },
		"join": func(elems []string, sep string) (string, error) {
			if err := b.spend(argBytes([]any{elems}) + len(sep)*len(elems)); err != nil {
				return "", err
			}
			return strings.Join(elems, sep), nil
		},
		"printf": func(format string, args ...any) (string, error) {
			verbs, err := checkFormat(format)
			if err != nil {
				return "", err
			}
			if err := b.spend(len(format) + argBytes(args) + verbs*MaxFormatWidth); err != nil {
				return "", err
			}
			return fmt.Sprintf(format, args...), nil
		},
		"print": func(args ...any) (string, error) {
			if err := b.spend(argBytes(args) + len(args)); err != nil {
				return "", err
			}
			return fmt.Sprint(args...), nil
		},
		"println": func(args ...any) (string, error) {
			if err := b.spend(argBytes(args) + len(args) + 1); err != nil {
				return "", err
			}
			return fmt.Sprintln(args...), nil
		},
		// Escaping at most sextuples a text ("<" becomes "&#34;" ...).
		"html": func(args ...any) (string, error) {
			if err := b.spend(6 * argBytes(args)); err != nil {
				return "", err
			}
			return template.HTMLEscaper(args...), nil
		},
		"js": func(args ...any) (string, error) {
			if err := b.spend(6 * argBytes(args)); err != nil {
				return "", err
			}
			return template.JSEscaper(args...), nil
		},
		"urlquery": func(args ...any) (string, error) {
			if err := b.spend(3 * argBytes(args)); err != nil {
				return "", err
			}
			return template.URLQueryEscaper(args...), nil
		},
		stepFunc: func() (string, error) { return "", b.tick() },
	}
}

// parseFuncs bind the function names for parsing; they never run.
var parseFuncs = (&budget{ctx: context.Background()}).funcs()

// stepFunc is the function every list of actions calls first (see
// insertSteps), so that a {{range}} body spends a step per iteration even
// when it neither writes nor calls anything.
const stepFunc = "step"

// stepNode is the {{step}} action that insertSteps puts at the head of
// every list, from a tree of its own, so that an error it reports has a
// position to name.
var stepNode = func() parse.Node {
	t := template.Must(template.New("step").Funcs(parseFuncs).Parse("{{" + stepFunc + "}}"))
	return t.Tree.Root.Nodes[0]
}()

// insertSteps puts a {{step}} at the head of every list of the tree: the
// template's root and the bodies and else branches of range, if and with.
func insertSteps(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			insertSteps(c)
		}
		n.Nodes = append([]parse.Node{stepNode}, n.Nodes...)
	case *parse.RangeNode:
		insertSteps(n.List)
		insertSteps(n.ElseList)
	case *parse.IfNode:
		insertSteps(n.List)
		insertSteps(n.ElseList)
	case *parse.WithNode:
		insertSteps(n.List)
		insertSteps(n.ElseList)
	}
}

// checkFormat counts the verbs of a printf format and rejects a width or
// precision over MaxFormatWidth or given as an argument ("%*d").
func checkFormat(format string) (verbs int, err error) {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		verbs++
		num := -1
		for ; i < len(format); i++ {
			c := format[i]
			switch {
			case c >= '0' && c <= '9':
				if num < 0 {
					num = 0
				}
				num = num*10 + int(c-'0')
				if num > MaxFormatWidth {
					return 0, errFormat
				}
				continue
			case c == '*':
				return 0, errFormat
			case c == '.' || c == '+' || c == '-' || c == '#' || c == ' ' || c == '[' || c == ']':
				num = -1
				continue
			}
			break
		}
	}
	return verbs, nil
}

// dataType is the type of the data a kind's templates are filled with.
func dataType(k Kind) reflect.Type {
	switch k {
	case Confirmation:
		return reflect.TypeFor[ConfirmationData]()
	case Referral:
		return reflect.TypeFor[ReferralData]()
	case Offer:
		return reflect.TypeFor[OfferData]()
	case Withdrawal:
		return reflect.TypeFor[WithdrawalData]()
	case ContractReady:
		return reflect.TypeFor[ContractReadyData]()
	}
	return nil
}

// fieldType resolves a chain of field names on t ("Tagespflege",
// "Office"), following pointers; nil if a name is not a field.
func fieldType(t reflect.Type, idents []string) reflect.Type {
	for _, id := range idents {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil || t.Kind() != reflect.Struct {
			return nil
		}
		f, ok := t.FieldByName(id)
		if !ok || !f.IsExported() {
			return nil
		}
		t = f.Type
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// pipeType is the type of a pipeline that is one field chain of the data
// (".Kitas", "$.Tagespflege.Office"), or nil for any other pipeline.
func pipeType(p *parse.PipeNode, dot, root reflect.Type) reflect.Type {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		return nil
	}
	switch a := p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode:
		if dot == nil {
			return nil
		}
		return fieldType(dot, a.Ident)
	case *parse.VariableNode:
		if len(a.Ident) > 1 && a.Ident[0] == "$" {
			return fieldType(root, a.Ident[1:])
		}
	}
	return nil
}

// forbidden walks a parse tree and names the first construct a message
// template may not use, or returns "". dot is the type of "." where n
// runs (nil where unknown), root the type of the kind's data.
func forbidden(n parse.Node, dot, root reflect.Type, ranges int) string {
	switch n := n.(type) {
	case nil:
		return ""
	case *parse.ListNode:
		if n == nil {
			return ""
		}
		for _, c := range n.Nodes {
			if s := forbidden(c, dot, root, ranges); s != "" {
				return s
			}
		}
	case *parse.ActionNode:
		return forbiddenPipe(n.Pipe)
	case *parse.TemplateNode:
		return "template"
	case *parse.RangeNode:
		if ranges+1 > MaxRangeDepth {
			return "range (nested)"
		}
		if s := forbiddenPipe(n.Pipe); s != "" {
			return s
		}
		t := pipeType(n.Pipe, dot, root)
		if t == nil || (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) {
			return "range (not over a list of the message data)"
		}
		if s := forbidden(n.List, t.Elem(), root, ranges+1); s != "" {
			return s
		}
		return forbidden(n.ElseList, dot, root, ranges)
	case *parse.IfNode:
		return forbiddenBranch(&n.BranchNode, dot, dot, root, ranges)
	case *parse.WithNode:
		return forbiddenBranch(&n.BranchNode, pipeType(n.Pipe, dot, root), dot, root, ranges)
	}
	return ""
}

func forbiddenBranch(b *parse.BranchNode, inner, dot, root reflect.Type, ranges int) string {
	if s := forbiddenPipe(b.Pipe); s != "" {
		return s
	}
	if s := forbidden(b.List, inner, root, ranges); s != "" {
		return s
	}
	return forbidden(b.ElseList, dot, root, ranges)
}

// forbiddenPipe rejects the builtin call (data holds no functions) and a
// printf whose literal format asks for a huge width.
func forbiddenPipe(p *parse.PipeNode) string {
	if p == nil {
		return ""
	}
	for _, cmd := range p.Cmds {
		for i, arg := range cmd.Args {
			switch a := arg.(type) {
			case *parse.IdentifierNode:
				switch a.Ident {
				case "call":
					return "call"
				case "printf":
					if i+1 < len(cmd.Args) {
						if f, ok := cmd.Args[i+1].(*parse.StringNode); ok {
							if _, err := checkFormat(f.Text); err != nil {
								return "printf (width over " + strconv.Itoa(MaxFormatWidth) + ")"
							}
						}
					}
				}
			case *parse.PipeNode:
				if s := forbiddenPipe(a); s != "" {
					return s
				}
			}
		}
	}
	return ""
}
