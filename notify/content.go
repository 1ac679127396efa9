package notify

import (
	"context"

	"github.com/kitaportal/kitaportal/problem"
)

// Content is what a message's subject and body are rendered from: a
// kind's template in a language and the kind's data. A [Message] that
// carries it is rendered when it is read: the in-memory outbox keeps the
// content and renders it on every read, a database renders it before it
// writes ([Message.Rendered]); the texts are those [Templates.Render]
// gives. Writing a message then costs no rendering inside the writer's
// atomic step.
type Content struct {
	t    *Templates
	kind Kind
	lang string
	data any
}

// Content checks what [Templates.Render] checks before it renders (a
// valid kind, data of the kind's type, a template for kind in lang or in
// German) and returns what renders the message later. The data must stay
// as it is from then on (pass a value; the lists it holds are read, never
// copied). The budget of a rendering applies when it renders: a template
// that needs more than the budget fails there, with the problems of
// [Templates.Render].
func (t *Templates) Content(kind Kind, lang string, data any) (*Content, error) {
	if err := t.checkContent(kind, lang, data); err != nil {
		return nil, err
	}
	return &Content{t: t, kind: kind, lang: lang, data: data}, nil
}

// checkContent returns the problems Content reports: an invalid kind,
// data not of the kind's type, no template for kind in lang or German.
func (t *Templates) checkContent(kind Kind, lang string, data any) error {
	var c problem.Collector
	if !kind.Valid() {
		c.Add("kind", CodeKindInvalid, ErrTemplate)
		return c.Err()
	}
	if ok, want := checkData(kind, data); !ok {
		c.Add("data", CodeDataMismatch, ErrTemplate, "want", want)
		return c.Err()
	}
	if t.set[lang][kind] == nil && t.set[FallbackLang][kind] == nil {
		c.Add(kind.String(), CodeTemplateMissing, ErrTemplate)
	}
	return c.Err()
}

// ContentOf is [Templates.Content] for data of the type D, kept with the
// content in one allocation where D is the kind's data type
// ([ConfirmationData] for [Confirmation], …): Content's data boxed in an
// interface is an object of its own, so a store that keeps messages keeps
// one object fewer per message. It checks what Content checks, with the
// same problems, and its content renders the same texts.
func ContentOf[D any](t *Templates, kind Kind, lang string, data D) (*Content, error) {
	if err := t.checkContent(kind, lang, data); err != nil {
		return nil, err
	}
	x := &contentWith[D]{data: data}
	// The content renders from a pointer to its copy of the data, which
	// the templates read as they read the value (checkData takes both); D
	// a pointer already is kept as it is.
	if ok, _ := checkData(kind, &x.data); !ok {
		return &Content{t: t, kind: kind, lang: lang, data: data}, nil
	}
	x.c = Content{t: t, kind: kind, lang: lang, data: &x.data}
	return &x.c, nil
}

// contentWith is a Content and its data in one allocation (ContentOf).
type contentWith[D any] struct {
	c    Content
	data D
}

// Render renders the content as [Templates.RenderContext] does.
func (c *Content) Render(ctx context.Context) (subject, body string, err error) {
	return c.t.RenderContext(ctx, c.kind, c.lang, c.data)
}

// Rendered returns m with the subject and body its Content renders as
// Title and Body, and without the content; m as it is when it carries
// none. A rendering that fails returns the problems of
// [Templates.Render].
func (m Message) Rendered() (Message, error) {
	if m.Content == nil {
		return m, nil
	}
	title, body, err := m.Content.Render(context.Background())
	if err != nil {
		return Message{}, err
	}
	m.Title, m.Body, m.Content = title, body, nil
	return m, nil
}

// RenderAll returns msgs with every message [Message.Rendered]: msgs
// itself when none carries a Content, else a new list (msgs is left as it
// is).
func RenderAll(msgs []Message) ([]Message, error) {
	var out []Message
	for i, m := range msgs {
		if m.Content == nil {
			if out != nil {
				out[i] = m
			}
			continue
		}
		if out == nil {
			out = make([]Message, len(msgs))
			copy(out, msgs[:i])
		}
		r, err := m.Rendered()
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	if out == nil {
		return msgs, nil
	}
	return out, nil
}
