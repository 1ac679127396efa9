package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/httpapi"
)

// endpoint is one operation of the API with the access operation and
// subject the application layer decides it by.
type endpoint struct {
	method, path string
	body         func(e *env, w *world) any
	op           access.Operation
	subject      access.Subject
	// list: the answer is a list that must not hold another party's records.
	list bool
}

// world is family A's application (Kitas of carrier T01, Tagespflege in
// district I) holding an offer of the Jugendamt.
type world struct {
	app, referral, kita, draft string
}

func newWorld(t *testing.T, e *env) *world {
	t.Helper()
	r := e.call(http.MethodPost, "/api/v1/applications", guardian("A"), e.input("Lotte", e.chosen, true), "Idempotency-Key", "a-1")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	var a httpapi.Application
	r.json(t, &a)
	r = e.call(http.MethodPost, "/api/v1/applications/"+a.ID+"/offer", ptr(access.NewJugendamt("amt")), map[string]string{"kita_id": e.chosen[0]})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	r = e.call(http.MethodPost, "/api/v1/rounds/"+url.PathEscape("2027/2028")+"/dry-run", ptr(access.NewJugendamt("amt")), map[string]any{})
	require.Equal(t, http.StatusOK, r.status, string(r.body))
	var d httpapi.Draft
	r.json(t, &d)
	return &world{app: a.ID, referral: a.Tagespflege.ReferralID, kita: e.chosen[0], draft: d.ID}
}

// state is what the Jugendamt reads of the world: a denied call must not change it.
func (w *world) state(e *env) string {
	amt := ptr(access.NewJugendamt("amt"))
	var b strings.Builder
	for _, p := range []string{"/api/v1/applications/" + w.app, "/api/v1/referrals/" + w.referral, "/api/v1/kitas/" + w.kita,
		"/api/v1/families/A/messages", "/api/v1/districts/I/minders"} {
		b.Write(e.call(http.MethodGet, p, amt, nil).body)
	}
	return b.String()
}

func endpoints(w *world) []endpoint {
	app := access.Subject{FamilyID: "A", Carriers: []string{"T01"}}
	family := access.Subject{FamilyID: "A"}
	district := access.Subject{District: "I"}
	carrier := access.Subject{Carriers: []string{"T01"}}
	none := access.Subject{}
	a, ref, k := "/api/v1/applications/"+w.app, "/api/v1/referrals/"+w.referral, "/api/v1/kitas/"+w.kita
	year := "?year=" + url.QueryEscape("2027/2028")
	return []endpoint{
		{method: http.MethodGet, path: a, op: access.ReadApplication, subject: app},
		{method: http.MethodGet, path: "/api/v1/applications?family_id=A", op: access.ReadApplication, subject: app, list: true},
		{method: http.MethodPut, path: a + "/choices", op: access.ChangeApplication, subject: app,
			body: func(e *env, _ *world) any { return map[string]any{"kitas": []string{e.chosen[1]}} }},
		{method: http.MethodPut, path: a + "/hours", op: access.ChangeApplication, subject: app,
			body: func(*env, *world) any { return map[string]any{"hours": []int{35, 45}} }},
		{method: http.MethodPost, path: a + "/withdraw", op: access.ChangeApplication, subject: app},
		{method: http.MethodPost, path: a + "/accept", op: access.ChangeApplication, subject: app},
		{method: http.MethodPost, path: a + "/decline", op: access.ChangeApplication, subject: app},
		{method: http.MethodPost, path: a + "/offer", op: access.OfferPlace, subject: carrier,
			body: func(e *env, _ *world) any { return map[string]string{"kita_id": e.chosen[1]} }},
		{method: http.MethodPost, path: a + "/contracted", op: access.RecordContract, subject: app},
		{method: http.MethodPost, path: a + "/contract", op: access.RecordContract, subject: app,
			body: func(*env, *world) any { return map[string]any{"income": "30000", "meal_plan": false} }},
		{method: http.MethodGet, path: "/api/v1/families/A/messages", op: access.ReadFamily, subject: family},
		{method: http.MethodGet, path: "/api/v1/families/A/export", op: access.ReadFamily, subject: family},
		{method: http.MethodDelete, path: "/api/v1/families/A", op: access.EraseFamily, subject: family},
		{method: http.MethodGet, path: "/api/v1/referrals?district=I", op: access.ReadReferrals, subject: district},
		{method: http.MethodGet, path: ref, op: access.ReadReferrals, subject: district},
		{method: http.MethodPost, path: ref + "/contacted", op: access.ChangeReferral, subject: district,
			body: func(*env, *world) any { return map[string]string{} }},
		{method: http.MethodPost, path: ref + "/close", op: access.ChangeReferral, subject: district,
			body: func(*env, *world) any { return map[string]string{"reason": "no_need"} }},
		{method: http.MethodGet, path: "/api/v1/districts/I/minders", op: access.ReadReferrals, subject: district},
		{method: http.MethodGet, path: "/api/v1/districts/I/free-minder-places", op: access.ReadReferrals, subject: district},
		{method: http.MethodPost, path: "/api/v1/districts/I/minders", op: access.ChangeReferral, subject: district,
			body: func(e *env, _ *world) any { return sampleMinder(e) }},
		{method: http.MethodPut, path: k + "/profile", op: access.EditKita, subject: carrier,
			body: func(*env, *world) any { return map[string]any{"text": "Neu"} }},
		{method: http.MethodPut, path: k + "/free-places", op: access.EditKita, subject: carrier,
			body: func(*env, *world) any { return map[string]int{"u3": 1, "o3": 1} }},
		{method: http.MethodPut, path: k + "/closed", op: access.EditKita, subject: carrier,
			body: func(*env, *world) any { return map[string]bool{"closed": true} }},
		{method: http.MethodPost, path: "/api/v1/rounds", op: access.RunAllocation, subject: none,
			body: func(*env, *world) any { return map[string]string{"year": "2027/2028"} }},
		{method: http.MethodPost, path: "/api/v1/rounds/" + url.PathEscape("2027/2028") + "/dry-run", op: access.DryRunRound, subject: none,
			body: func(*env, *world) any { return map[string]any{} }},
		{method: http.MethodGet, path: "/api/v1/rounds/drafts/" + w.draft, op: access.DryRunRound, subject: none},
		{method: http.MethodPost, path: "/api/v1/rounds/drafts/" + w.draft + "/publish", op: access.PublishRound, subject: none},
		{method: http.MethodGet, path: a + "/positions", op: access.ReadPositions, subject: family},
		{method: http.MethodGet, path: "/api/v1/reports" + year, op: access.ReadReports, subject: none},
		{method: http.MethodGet, path: "/api/v1/reports/kitas.csv" + year, op: access.ReadReports, subject: none},
		{method: http.MethodGet, path: "/api/v1/audit", op: access.ReadAudit, subject: none},
		{method: http.MethodGet, path: "/api/v1/reviews", op: access.ReadAudit, subject: none},
		{method: http.MethodPost, path: "/api/v1/years/expire", op: access.RunAllocation, subject: none,
			body: func(*env, *world) any { return map[string]string{"year": "2027/2028"} }},
		{method: http.MethodPost, path: "/api/v1/families/A/applications", op: access.SubmitApplication, subject: family,
			body: func(e *env, _ *world) any { return e.input("Ben", e.chosen, false) }},
	}
}

// parties are every role, each with a party of its own and another one.
var parties = map[string]access.Actor{
	"own family":         access.NewGuardian("g-A", "A"),
	"other family":       access.NewGuardian("g-B", "B"),
	"chosen carrier":     access.NewCarrierStaff("s1", "T01"),
	"other carrier":      access.NewCarrierStaff("s5", "T05"),
	"own Fachberatung":   access.NewFachberatung("fb1", "I"),
	"other Fachberatung": access.NewFachberatung("fb2", "II"),
	"Jugendamt":          access.NewJugendamt("amt"),
}

// TestAccessMatrixOverHTTP runs every role against every endpoint that
// takes an actor. What the access table denies is answered 404 exactly as
// an absent record, changes nothing and shows nothing; what it allows is
// not answered 401 or 404; an anonymous caller gets 401.
func TestAccessMatrixOverHTTP(t *testing.T) {
	probe := newEnv(t, nil, httpapi.Limits{})
	absent := probe.call(http.MethodGet, "/api/v1/applications/no-such-id", guardian("A"), nil).problem(t)
	for i, ep := range endpoints(newWorld(t, probe)) {
		t.Run(ep.method+" "+ep.path, func(t *testing.T) {
			e := newEnv(t, nil, httpapi.Limits{PerClient: -1, PerFamily: -1})
			w := newWorld(t, e)
			ep := endpoints(w)[i]
			body := func() any {
				if ep.body == nil {
					return nil
				}
				return ep.body(e, w)
			}
			r := e.call(ep.method, ep.path, nil, body(), "Idempotency-Key", "anonymous")
			assert.Equal(t, http.StatusUnauthorized, r.status, "anonymous")
			// Denied parties first, so that the world is still unchanged.
			var allowed []string
			for name, actor := range parties {
				if access.Can(actor, ep.op, ep.subject) == nil {
					allowed = append(allowed, name)
					continue
				}
				before := w.state(e)
				r := e.call(ep.method, ep.path, &actor, body(), "If-Match", "*", "Idempotency-Key", name)
				if ep.list && r.status == http.StatusOK {
					assert.NotContains(t, string(r.body), w.app, name+" sees another party's application")
					continue
				}
				require.Equal(t, http.StatusNotFound, r.status, "%s: %s", name, r.body)
				p := r.problem(t)
				assert.Equal(t, absent.Detail, p.Detail, name)
				assert.Equal(t, absent.Code, p.Code, name)
				assert.Equal(t, before, w.state(e), name+" changed the world")
			}
			for _, name := range allowed {
				actor := parties[name]
				r := e.call(ep.method, ep.path, &actor, body(), "If-Match", "*", "Idempotency-Key", name)
				assert.NotContains(t, []int{http.StatusUnauthorized, http.StatusNotFound}, r.status, "%s: %s", name, r.body)
			}
		})
	}
}
