package notify

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"time"

	"github.com/kitaportal/kitaportal/internal/budget"
)

// The render budget: what one rendering of one message (its subject and
// its body together) may spend. A template that needs more fails with a
// problem naming the limit; nothing it produced is kept.
const (
	// MaxRenderSteps bounds the function calls, written pieces and
	// {{range}} iterations. A confirmation listing 50 Kitas needs a few
	// hundred.
	MaxRenderSteps = 10_000
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

// limits is the render budget as internal/budget takes it.
var limits = budget.Limits{Steps: MaxRenderSteps, Work: MaxRenderWork, FormatWidth: MaxFormatWidth, Time: MaxRenderTime}

// errTooLarge: the output passed MaxOutputSize.
var errTooLarge = errors.New("notify: output too large")

// funcs are the template functions bound to the budget b: the documented
// ones plus the budgeted replacements of text/template's text-producing
// builtins.
func funcs(b *budget.Budget) template.FuncMap {
	return b.Funcs(template.FuncMap{
		"date":    func(d Date) (string, error) { return d.Format("02.01.2006"), b.Spend(10) },
		"isodate": func(d Date) (string, error) { return d.Format(time.DateOnly), b.Spend(10) },
		"join": func(elems []string, sep string) (string, error) {
			if err := b.Spend(budget.ArgBytes(elems) + len(sep)*len(elems)); err != nil {
				return "", err
			}
			return strings.Join(elems, sep), nil
		},
	})
}

// parseFuncs bind the function names for parsing; they never run.
var parseFuncs = funcs(budget.New(limits))

// dataType is the type of the data a kind's templates are filled with.
func dataType(k Kind) reflect.Type {
	switch k {
	case Confirmation:
		return reflect.TypeFor[ConfirmationData]()
	case Referral:
		return reflect.TypeFor[ReferralData]()
	case Offer, OfferReminder:
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
	if budget.LiteralFormat(p, MaxFormatWidth) {
		return "printf (width over " + strconv.Itoa(MaxFormatWidth) + ")"
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			switch a := arg.(type) {
			case *parse.IdentifierNode:
				if a.Ident == "call" {
					return "call"
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
