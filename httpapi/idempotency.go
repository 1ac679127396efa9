package httpapi

import (
	"context"
	"net/http"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
)

// A creating call other than a submission (where the key is required)
// takes an optional Idempotency-Key header: the same key with the same
// request returns the first result (200, Idempotent-Replayed: true), with
// another request it is refused (422, app.idempotency_key_reused).

// keyedOut is the answer of a keyed creating call.
type keyedOut[T any] struct {
	Status   int
	Replayed bool `header:"Idempotent-Replayed" doc:"true when the Idempotency-Key returned an earlier result."`
	Body     T
}

// keyed runs a creating use case with the request's Idempotency-Key
// (app.IdempotencyKey) and answers created (status) or, for a replayed
// key, 200 with Idempotent-Replayed: true.
func keyed[T, R any](ctx context.Context, h *Handler, key string, status int, do func(actor access.Actor, opts ...app.Option) (R, error), conv func(R) T) (*keyedOut[T], error) {
	v, replayed, err := runKeyed(ctx, h, key, do)
	if err != nil {
		return nil, err
	}
	out := &keyedOut[T]{Status: status, Replayed: replayed, Body: conv(v)}
	if replayed {
		out.Status = http.StatusOK
	}
	return out, nil
}

// runKeyed runs a use case with the request's actor and Idempotency-Key;
// replayed tells whether the key returned an earlier result.
func runKeyed[R any](ctx context.Context, h *Handler, key string, do func(actor access.Actor, opts ...app.Option) (R, error)) (v R, replayed bool, err error) {
	actor, err := h.actor(ctx)
	if err != nil {
		return v, false, err
	}
	v, err = do(actor, app.IdempotencyKey(key, &replayed))
	if err != nil {
		return v, false, h.fail(ctx, err)
	}
	return v, replayed, nil
}

// keyedApplicationOut is an application changed by a keyed call, with its
// ETag.
type keyedApplicationOut struct {
	ETag     string `header:"ETag" doc:"The application's version, for If-Match."`
	Replayed bool   `header:"Idempotent-Replayed" doc:"true when the Idempotency-Key returned an earlier result."`
	Body     Application
}

// documentReplay describes the 200 answer of a replayed key beside a
// creating operation's 201.
func (h *Handler) documentReplay(path string) {
	post := h.api.OpenAPI().Paths[Prefix+path].Post
	replay := *post.Responses["201"]
	replay.Description = "The first call's result: the Idempotency-Key was used before with the same request."
	post.Responses["200"] = &replay
}
