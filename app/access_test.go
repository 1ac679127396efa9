package app_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/municipality/bochum"
	"github.com/kitaportal/kitaportal/registration"
	"github.com/kitaportal/kitaportal/store/memory"
)

// invoker calls one use case of the App as actor.
type invoker struct {
	name  string
	setup func(t *testing.T, w *world)
	call  func(w *world, actor access.Actor) error
}

// invokers are the App's methods by the operation whose rule they follow.
// The matrix test fails for an operation of the access table without one.
var invokers = map[access.Operation][]invoker{
	access.SubmitApplication: {
		{"SubmitAtCounter", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.SubmitAtCounter(w.ctx, a, "A", w.input("Mia", w.kitas))
			return err
		}},
	},
	access.ReadApplication: {
		{"Get", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Get(w.ctx, a, w.appA.ID)
			return err
		}},
	},
	access.ChangeApplication: {
		{"Withdraw", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Withdraw(w.ctx, a, w.appA.ID)
			return err
		}},
		{"ChangeChoices", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.ChangeChoices(w.ctx, a, w.appA.ID, w.kitas[:1])
			return err
		}},
		{"Decline", offered, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Decline(w.ctx, a, w.appA.ID)
			return err
		}},
		{"Accept", offered, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Accept(w.ctx, a, w.appA.ID)
			return err
		}},
	},
	access.OfferPlace: {
		{"Offer", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Offer(w.ctx, a, w.appA.ID, w.kitas[0])
			return err
		}},
	},
	access.RecordContract: {
		{"Contracted", accepted, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Contracted(w.ctx, a, w.appA.ID)
			return err
		}},
		{"Contracts.Generate", accepted, func(w *world, a access.Actor) error {
			_, err := w.app.Contracts.Generate(w.ctx, a, app.ContractRequest{ApplicationID: w.appA.ID})
			return err
		}},
	},
	access.ReadFamily: {
		{"Messages", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Messages(w.ctx, a, "A")
			return err
		}},
		{"Export", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Export(w.ctx, a, "A")
			return err
		}},
		{"Referrals.Progress", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Referrals.Progress(w.ctx, a, w.appA.ID)
			return err
		}},
	},
	access.EraseFamily: {
		{"Erase", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Erase(w.ctx, a, "A")
			return err
		}},
	},
	access.RunAllocation: {
		{"RunRound", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.RunRound(w.ctx, a, "2027/2028", app.RoundOptions{})
			return err
		}},
		{"ExpireYear", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.ExpireYear(w.ctx, a, "2027/2028")
			return err
		}},
		{"LapseOffers", offered, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.LapseOffers(w.ctx, a)
			return err
		}},
		{"ApplyRetention", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.ApplyRetention(w.ctx, a)
			return err
		}},
	},
	access.DryRunRound: {
		{"DryRun", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.DryRun(w.ctx, a, "2027/2028", app.RoundOptions{})
			return err
		}},
		{"Draft", drafted, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Draft(w.ctx, a, w.draft)
			return err
		}},
	},
	access.PublishRound: {
		{"Publish", drafted, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Publish(w.ctx, a, w.draft)
			return err
		}},
	},
	access.ReadPositions: {
		{"Positions", published, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Positions(w.ctx, a, w.appA.ID)
			return err
		}},
	},
	access.ReadReports: {
		{"Reports.Year", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Reports.Year(w.ctx, a, "2027/2028")
			return err
		}},
	},
	access.ReadReferrals: {
		{"Referrals.Get", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Referrals.Get(w.ctx, a, w.appA.TP.ReferralID)
			return err
		}},
		{"Referrals.List", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Referrals.List(w.ctx, a, "I", 0, 0)
			return err
		}},
		{"Referrals.FreePlaces", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Referrals.FreePlaces(w.ctx, a, "I")
			return err
		}},
	},
	access.ChangeReferral: {
		{"MarkContacted", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Referrals.MarkContacted(w.ctx, a, w.appA.TP.ReferralID, "")
			return err
		}},
		{"Referrals.Close", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Referrals.Close(w.ctx, a, w.appA.TP.ReferralID, 1)
			return err
		}},
		{"AddMinder", nil, func(w *world, a access.Actor) error {
			m := bochum.Minders(1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))[0]
			m.District = "I"
			_, err := w.app.Referrals.AddMinder(w.ctx, a, m)
			return err
		}},
	},
	access.EditKita: {
		{"SetClosed", nil, func(w *world, a access.Actor) error {
			return w.app.Catalogue.SetClosed(w.ctx, a, w.kitas[0], true)
		}},
		{"UpdateProfile", nil, func(w *world, a access.Actor) error {
			return w.app.Catalogue.UpdateProfile(w.ctx, a, w.kitas[0], kita.PublicProfile{Text: "Neu"})
		}},
		{"ReportFreePlaces", nil, func(w *world, a access.Actor) error {
			return w.app.Catalogue.ReportFreePlaces(w.ctx, a, w.kitas[0], kita.Capacity{Under3: 1})
		}},
	},
	access.ReadAudit: {
		{"AuditTrail", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.AuditTrail(w.ctx, a, registration.AuditQuery{})
			return err
		}},
		{"Reviews", nil, func(w *world, a access.Actor) error {
			_, err := w.app.Registrations.Reviews(w.ctx, a)
			return err
		}},
	},
}

func offered(t *testing.T, w *world) {
	t.Helper()
	_, err := w.app.Registrations.Offer(w.ctx, jugendamt, w.appA.ID, w.kitas[0])
	require.NoError(t, err)
}

// drafted dry-runs the main round as the Jugendamt.
func drafted(t *testing.T, w *world) {
	t.Helper()
	d, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
	require.NoError(t, err)
	w.draft = d.ID
}

// published runs and publishes the main round as the Jugendamt.
func published(t *testing.T, w *world) {
	t.Helper()
	drafted(t, w)
	_, err := w.app.Registrations.Publish(w.ctx, jugendamt, w.draft)
	require.NoError(t, err)
}

func accepted(t *testing.T, w *world) {
	t.Helper()
	offered(t, w)
	_, err := w.app.Registrations.Accept(w.ctx, guardianA, w.appA.ID)
	require.NoError(t, err)
}

// actorsOf are, per role, an actor whose own records the world's subject
// is ("own": family A, carrier T01, district I) and one whose it is not.
var actorsOf = map[access.Role][2]access.Actor{
	access.Guardian:     {guardianA, guardianB},
	access.CarrierStaff: {staffT01, staffT05},
	access.Fachberatung: {fbI, access.NewFachberatung("fb2", "II")},
	access.Jugendamt:    {jugendamt, access.NewJugendamt("ja2")},
	access.System:       {access.SystemActor, access.SystemActor},
}

// TestAccessMatrix is generated from the access table: for every
// operation, every role, an own and a foreign actor and an invalid one, it
// calls every method of the operation twice (the repeated call must be
// decided alike) and expects exactly what access.RuleOf says.
func TestAccessMatrix(t *testing.T) {
	for _, op := range access.Operations() {
		calls := invokers[op]
		if len(calls) == 0 {
			t.Errorf("operation %s has no method in the matrix", op)
			continue
		}
		for _, role := range access.Roles() {
			rule := access.RuleOf(op, role)
			for i, actor := range actorsOf[role] {
				want := rule == access.Always || rule == access.Own && i == 0
				whose := map[int]string{0: "own", 1: "foreign"}[i]
				for _, c := range calls {
					t.Run(op.String()+"/"+c.name+"/"+role.String()+"/"+whose, func(t *testing.T) {
						w := newWorld(t, memory.New(), nil)
						if c.setup != nil {
							c.setup(t, w)
						}
						for try := 1; try <= 2; try++ {
							err := c.call(w, actor)
							denied := errors.Is(err, access.ErrDenied)
							if want && denied {
								t.Errorf("call %d: %s (%s) denied, the table says %s", try, role, whose, rule)
							}
							if !want && !denied {
								t.Errorf("call %d: %s (%s) got %v, the table says %s: want access.ErrDenied", try, role, whose, err, rule)
							}
						}
					})
				}
			}
		}
		for _, c := range calls {
			t.Run(op.String()+"/"+c.name+"/invalid actor", func(t *testing.T) {
				w := newWorld(t, memory.New(), nil)
				if c.setup != nil {
					c.setup(t, w)
				}
				require.ErrorIs(t, c.call(w, access.Actor{}), access.ErrDenied)
			})
		}
	}
}

func TestOfferAtAKitaNotChosen(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		t.Run("no one offers a place at a Kita the family did not choose, not even its own carrier or the Jugendamt", func(t *testing.T) {
			for _, actor := range []access.Actor{staffT05, jugendamt, access.SystemActor} {
				_, err := w.app.Registrations.Offer(w.ctx, actor, w.appA.ID, w.kitaX)
				require.ErrorIs(t, err, access.ErrDenied, actor.String())
			}
			a, err := w.app.Registrations.Get(w.ctx, jugendamt, w.appA.ID)
			require.NoError(t, err)
			require.Nil(t, a.Offer())
		})
	})
}
