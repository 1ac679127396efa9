package notify

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template/parse"
	"time"

	"github.com/kitaportal/kitaportal/internal/budget"
)

// A compiled template renders a parsed message template without
// text/template's evaluation by name and reflective calls: every field
// of the kind's data is looked up by its index once, when the template is
// parsed. It covers what message templates are made of — text, fields of
// the data ({{.Reference}}, {{$.Tagespflege.Office.Name}}, {{.}}), if,
// with and range over them (else included), and the functions date,
// isodate and join — and spends the render budget exactly where
// text/template with the budgeted functions does: a step for every write,
// every budget step and every function, text for every function, in the
// same order, so that a template that breaks a limit fails with the same
// problem either way. A template using anything else (variables, printf,
// comparisons, pipelines of several commands, break and continue ...) is
// not compiled and renders with text/template.

// compiled is one template, ready to run on a value of its kind's data.
type compiled struct {
	ops []op
}

// op is one node of a compiled template, run with dot as ".".
type op func(s *runState, dot reflect.Value) error

// runState is one rendering of a compiled template.
type runState struct {
	w    *limitWriter
	b    *budget.Budget
	root reflect.Value // the data, "$"
	num  [24]byte      // scratch for numbers
}

// errNil: a field was looked up through a nil pointer; text/template
// fails there too.
var errNil = errors.New("notify: nil pointer evaluating a field")

// compile compiles tmpl's tree for data of type root, or returns nil when
// the template uses something only text/template runs.
func compile(root reflect.Type, tree *parse.ListNode) *compiled {
	if root == nil || root.Kind() != reflect.Struct {
		return nil
	}
	c := compiler{root: root}
	ops, ok := c.list(tree, root)
	if !ok {
		return nil
	}
	return &compiled{ops: ops}
}

// run renders the template on data, a value of the root type or a
// non-nil pointer to one.
func (t *compiled) run(w *limitWriter, b *budget.Budget, data reflect.Value) error {
	s := runState{w: w, b: b, root: data}
	return runOps(&s, t.ops, data)
}

func runOps(s *runState, ops []op, dot reflect.Value) error {
	for _, o := range ops {
		if err := o(s, dot); err != nil {
			return err
		}
	}
	return nil
}

type compiler struct {
	root reflect.Type
}

func (c compiler) list(l *parse.ListNode, dot reflect.Type) ([]op, bool) {
	if l == nil {
		return nil, true
	}
	ops := make([]op, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		o, ok := c.node(n, dot)
		if !ok {
			return nil, false
		}
		ops = append(ops, o)
	}
	return ops, true
}

func (c compiler) node(n parse.Node, dot reflect.Type) (op, bool) {
	switch n := n.(type) {
	case *parse.TextNode:
		text := n.Text
		return func(s *runState, _ reflect.Value) error { return s.w.write(text) }, true
	case *parse.ActionNode:
		return c.action(n.Pipe, dot)
	case *parse.IfNode:
		return c.branch(&n.BranchNode, dot, false)
	case *parse.WithNode:
		return c.branch(&n.BranchNode, dot, true)
	case *parse.RangeNode:
		return c.rangeOver(n, dot)
	}
	return nil, false
}

// command returns the one command of a pipeline without variables.
func command(p *parse.PipeNode) (*parse.CommandNode, bool) {
	if p == nil || len(p.Decl) > 0 || p.IsAssign || len(p.Cmds) != 1 {
		return nil, false
	}
	return p.Cmds[0], true
}

// action compiles {{value}} and the calls of the budget step, date,
// isodate and join.
func (c compiler) action(p *parse.PipeNode, dot reflect.Type) (op, bool) {
	cmd, ok := command(p)
	if !ok || len(cmd.Args) == 0 {
		return nil, false
	}
	id, isFunc := cmd.Args[0].(*parse.IdentifierNode)
	if !isFunc {
		if len(cmd.Args) != 1 {
			return nil, false
		}
		get, t, ok := c.value(cmd.Args[0], dot)
		if !ok {
			return nil, false
		}
		print, ok := printer(t)
		if !ok {
			return nil, false
		}
		return onValue(get, func(s *runState, dot, v reflect.Value) error {
			return print(s, v)
		}), true
	}
	switch {
	case id.Ident == budget.StepFunc && len(cmd.Args) == 1:
		return func(s *runState, _ reflect.Value) error {
			if err := s.b.Tick(); err != nil {
				return err
			}
			return s.w.write(nil)
		}, true
	case (id.Ident == "date" || id.Ident == "isodate") && len(cmd.Args) == 2:
		layout := "02.01.2006"
		if id.Ident == "isodate" {
			layout = time.DateOnly
		}
		get, t, ok := c.value(cmd.Args[1], dot)
		if !ok || t != dateType {
			return nil, false
		}
		return onValue(get, func(s *runState, dot, v reflect.Value) error {
			d, _ := reflect.TypeAssert[Date](v)
			text := d.Format(layout)
			if err := s.b.Spend(10); err != nil {
				return err
			}
			return s.w.writeString(text)
		}), true
	case id.Ident == "join" && len(cmd.Args) == 3:
		get, t, ok := c.value(cmd.Args[1], dot)
		sep, lit := cmd.Args[2].(*parse.StringNode)
		if !ok || !lit || t != stringsType {
			return nil, false
		}
		return onValue(get, func(s *runState, dot, v reflect.Value) error {
			elems, _ := reflect.TypeAssert[[]string](v)
			if err := s.b.Spend(budget.ArgBytes(elems) + len(sep.Text)*len(elems)); err != nil {
				return err
			}
			return s.w.writeString(strings.Join(elems, sep.Text))
		}), true
	}
	return nil, false
}

// branch compiles if (with=false) and with.
func (c compiler) branch(b *parse.BranchNode, dot reflect.Type, with bool) (op, bool) {
	get, t, ok := c.operand(b.Pipe, dot)
	if !ok {
		return nil, false
	}
	truth, ok := truthOf(t)
	if !ok {
		return nil, false
	}
	inner := dot
	if with {
		inner = t
	}
	then, other, ok := c.lists(b.List, inner, b.ElseList, dot)
	if !ok {
		return nil, false
	}
	return onValue(get, func(s *runState, dot, v reflect.Value) error {
		if !truth(v) {
			return runOps(s, other, dot)
		}
		if with {
			return runOps(s, then, v)
		}
		return runOps(s, then, dot)
	}), true
}

func (c compiler) rangeOver(r *parse.RangeNode, dot reflect.Type) (op, bool) {
	get, t, ok := c.operand(r.Pipe, dot)
	if !ok || (t.Kind() != reflect.Slice && t.Kind() != reflect.Array) {
		return nil, false
	}
	body, other, ok := c.lists(r.List, t.Elem(), r.ElseList, dot)
	if !ok {
		return nil, false
	}
	return onValue(get, func(s *runState, dot, v reflect.Value) error {
		n := v.Len()
		if n == 0 {
			return runOps(s, other, dot)
		}
		for i := range n {
			if err := runOps(s, body, v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	}), true
}

// operand compiles the pipeline of if, with and range: one value.
func (c compiler) operand(p *parse.PipeNode, dot reflect.Type) (getter, reflect.Type, bool) {
	cmd, ok := command(p)
	if !ok || len(cmd.Args) != 1 {
		return nil, nil, false
	}
	return c.value(cmd.Args[0], dot)
}

// lists compiles the body of if, with or range (with "." of type inner)
// and its else branch.
func (c compiler) lists(body *parse.ListNode, inner reflect.Type, other *parse.ListNode, dot reflect.Type) ([]op, []op, bool) {
	b, ok := c.list(body, inner)
	if !ok {
		return nil, nil, false
	}
	o, ok := c.list(other, dot)
	return b, o, ok
}

// onValue is the op that runs f on the value get evaluates.
func onValue(get getter, f func(s *runState, dot, v reflect.Value) error) op {
	return func(s *runState, dot reflect.Value) error {
		v, err := get(s, dot)
		if err != nil {
			return err
		}
		return f(s, dot, v)
	}
}

// getter evaluates a value of the data where "." is dot.
type getter func(s *runState, dot reflect.Value) (reflect.Value, error)

// value compiles ".", a field chain on "." or on "$", and returns its
// getter and static type.
func (c compiler) value(n parse.Node, dot reflect.Type) (getter, reflect.Type, bool) {
	switch n := n.(type) {
	case *parse.DotNode:
		return func(_ *runState, dot reflect.Value) (reflect.Value, error) { return dot, nil }, dot, true
	case *parse.FieldNode:
		return chain(dot, n.Ident, func(_ *runState, dot reflect.Value) reflect.Value { return dot })
	case *parse.VariableNode:
		if len(n.Ident) == 0 || n.Ident[0] != "$" {
			return nil, nil, false
		}
		return chain(c.root, n.Ident[1:], func(s *runState, _ reflect.Value) reflect.Value { return s.root })
	}
	return nil, nil, false
}

// chain resolves the field names idents from type t, as text/template
// does: through pointers, by name, a method of the same name first (such
// a chain is not compiled).
func chain(t reflect.Type, idents []string, start func(*runState, reflect.Value) reflect.Value) (getter, reflect.Type, bool) {
	index := make([]int, 0, len(idents))
	for _, id := range idents {
		if t.Kind() == reflect.Interface {
			return nil, nil, false
		}
		if _, ok := reflect.PointerTo(t).MethodByName(id); ok {
			return nil, nil, false
		}
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
			if _, ok := reflect.PointerTo(t).MethodByName(id); ok {
				return nil, nil, false
			}
		}
		if t.Kind() != reflect.Struct {
			return nil, nil, false
		}
		f, ok := t.FieldByName(id)
		if !ok || !f.IsExported() || len(f.Index) != 1 {
			return nil, nil, false
		}
		index = append(index, f.Index[0])
		t = f.Type
	}
	return func(s *runState, dot reflect.Value) (reflect.Value, error) {
		v := start(s, dot)
		for _, i := range index {
			if v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return reflect.Value{}, errNil
				}
				v = v.Elem()
			}
			v = v.Field(i)
		}
		return v, nil
	}, t, true
}

var (
	dateType    = reflect.TypeFor[Date]()
	stringsType = reflect.TypeFor[[]string]()
	stringer    = reflect.TypeFor[fmt.Stringer]()
	errorType   = reflect.TypeFor[error]()
	formatter   = reflect.TypeFor[fmt.Formatter]()
)

// printer returns how {{value}} writes a value of type t, as fmt.Fprint
// would, in one write: a Date by its String method, a text, a whole
// number or a truth value by kind. Other types are not compiled.
func printer(t reflect.Type) (func(*runState, reflect.Value) error, bool) {
	if t == dateType {
		return func(s *runState, v reflect.Value) error {
			d, _ := reflect.TypeAssert[Date](v)
			return s.w.writeString(d.String())
		}, true
	}
	p := reflect.PointerTo(t)
	if p.Implements(stringer) || p.Implements(errorType) || p.Implements(formatter) {
		return nil, false
	}
	switch t.Kind() {
	case reflect.String:
		return func(s *runState, v reflect.Value) error { return s.w.writeString(v.String()) }, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(s *runState, v reflect.Value) error {
			return s.w.write(strconv.AppendInt(s.num[:0], v.Int(), 10))
		}, true
	case reflect.Bool:
		return func(s *runState, v reflect.Value) error { return s.w.writeString(strconv.FormatBool(v.Bool())) }, true
	}
	return nil, false
}

// truthOf returns text/template's truth of a value of type t.
func truthOf(t reflect.Type) (func(reflect.Value) bool, bool) {
	switch t.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return func(v reflect.Value) bool { return v.Len() > 0 }, true
	case reflect.Bool:
		return reflect.Value.Bool, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) bool { return v.Int() != 0 }, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(v reflect.Value) bool { return v.Uint() != 0 }, true
	case reflect.Pointer:
		return func(v reflect.Value) bool { return !v.IsNil() }, true
	case reflect.Struct:
		return func(reflect.Value) bool { return true }, true
	}
	return nil, false
}
