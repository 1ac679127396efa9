package app_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/allocation"
	"github.com/kitaportal/kitaportal/app"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/kitaportal/kitaportal/registration"
)

// auditCount counts the audit entries of an action.
func (w *world) auditCount(t *testing.T, action string) int {
	t.Helper()
	trail, err := w.app.Registrations.AuditTrail(w.ctx, jugendamt, registration.AuditQuery{})
	require.NoError(t, err)
	n := 0
	for _, e := range trail {
		if e.Action == action {
			n++
		}
	}
	return n
}

// placed counts the placements of a result.
func placed(res map[string]string) int {
	n := 0
	for _, k := range res {
		if k != "" {
			n++
		}
	}
	return n
}

func TestDryRun(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		fams := w.families(t, 30)
		first, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
		require.NoError(t, err)
		t.Run("a dry run writes no offer and is audited", func(t *testing.T) {
			assert.Zero(t, w.roundState(t))
			assert.Equal(t, 1, w.auditCount(t, app.AuditDryRun))
			assert.Equal(t, 1, first.Number)
			assert.Positive(t, first.Result.Statistics.Placed)
			assert.Equal(t, len(first.Instance.Applicants), first.Result.Statistics.Applicants)
		})
		t.Run("the first dry run of a year lists every placed child as changed, with its positions", func(t *testing.T) {
			assert.Empty(t, first.Baseline)
			require.Len(t, first.Changes, placed(first.Result.Placements))
			for _, c := range first.Changes {
				assert.Empty(t, c.Before)
				assert.Equal(t, first.Result.Placements[c.ApplicationID], c.After)
				assert.NotEmpty(t, c.FamilyID)
				require.NotEmpty(t, c.Positions, c.ApplicationID)
				for _, p := range c.Positions {
					assert.Equal(t, c.ApplicationID, p.Applicant, "a change explains its own child only")
					assert.Positive(t, p.Rank)
					assert.Equal(t, p.Facility == c.After, p.Placed)
				}
			}
		})
		t.Run("a stored draft reads back as the dry run returned it", func(t *testing.T) {
			got, err := w.app.Registrations.Draft(w.ctx, jugendamt, first.ID)
			require.NoError(t, err)
			assert.Equal(t, first, got)
			_, err = w.app.Registrations.Draft(w.ctx, jugendamt, "no-such-draft")
			require.ErrorIs(t, err, app.ErrNoDraft)
			_, err = w.app.Registrations.Draft(w.ctx, jugendamt, "")
			var list problem.List
			require.ErrorAs(t, err, &list)
			assert.Equal(t, "id", list[0].Field)
		})
		t.Run("the next dry run lists only the children whose outcome differs from the previous one", func(t *testing.T) {
			var gone registration.Application
			for i, a := range fams {
				if first.Result.Placements[a.ID] != "" {
					gone = a
					_, err := w.app.Registrations.Withdraw(w.ctx, access.NewGuardian(fmt.Sprint("g", i), fmt.Sprint("F", i)), a.ID)
					require.NoError(t, err)
					break
				}
			}
			require.NotEmpty(t, gone.ID)
			second, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			assert.Equal(t, 2, second.Number)
			assert.Equal(t, first.ID, second.Baseline)
			require.NotEmpty(t, second.Changes)
			assert.Less(t, len(second.Changes), len(first.Changes), "unchanged children are not listed")
			byID := map[string]app.DraftChange{}
			for _, c := range second.Changes {
				byID[c.ApplicationID] = c
				assert.Equal(t, first.Result.Placements[c.ApplicationID], c.Before)
				assert.Equal(t, second.Result.Placements[c.ApplicationID], c.After)
			}
			c, ok := byID[gone.ID]
			require.True(t, ok, "the withdrawn child's place is a change")
			assert.Empty(t, c.After)
			assert.Equal(t, gone.FamilyID, c.FamilyID)
			assert.Empty(t, c.Positions, "a child no longer in the round has no positions")
		})
		t.Run("a child who leaves the round is a change with its family, also when it was unchanged before", func(t *testing.T) {
			prev, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			var gone registration.Application
			var who access.Actor
			for i, a := range fams {
				if prev.Result.Placements[a.ID] != "" {
					gone, who = a, access.NewGuardian(fmt.Sprint("g", i), fmt.Sprint("F", i))
					break
				}
			}
			require.NotEmpty(t, gone.ID)
			_, err = w.app.Registrations.Withdraw(w.ctx, who, gone.ID)
			require.NoError(t, err)
			next, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			i := slices.IndexFunc(next.Changes, func(c app.DraftChange) bool { return c.ApplicationID == gone.ID })
			require.GreaterOrEqual(t, i, 0)
			assert.Equal(t, gone.FamilyID, next.Changes[i].FamilyID)
		})
		t.Run("a year label of another form is a problem with its field", func(t *testing.T) {
			_, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/28", app.RoundOptions{})
			require.ErrorIs(t, err, app.ErrYear)
		})
	})
}

func TestPublish(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		w.families(t, 12)
		older, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
		require.NoError(t, err)
		d, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
		require.NoError(t, err)
		t.Run("a draft that is not the newest dry run of its round is not published", func(t *testing.T) {
			_, err := w.app.Registrations.Publish(w.ctx, jugendamt, older.ID)
			require.ErrorIs(t, err, app.ErrDraftSuperseded)
			assert.Equal(t, problem.Conflict, problem.KindOf(err))
			assert.Zero(t, w.roundState(t))
			assert.Equal(t, "There is a newer dry run of this round; only the newest can be published.", w.app.Translator.Error(err, "en"))
		})
		var rep registration.RoundReport
		t.Run("publishing writes exactly the draft's offers in one step", func(t *testing.T) {
			rep, err = w.app.Registrations.Publish(w.ctx, jugendamt, d.ID)
			require.NoError(t, err)
			assert.Equal(t, placed(d.Result.Placements), rep.Offers)
			assert.Zero(t, rep.Skipped)
			assert.Equal(t, d.Result, rep.Result)
			apps, err := w.store.Registrations().Applications(w.ctx, registration.Query{Year: "2027/2028", Statuses: []registration.Status{registration.Offered}})
			require.NoError(t, err)
			require.Len(t, apps, rep.Offers)
			for _, a := range apps {
				assert.Equal(t, d.Result.Placements[a.ID], a.Offer().KitaID)
			}
			assert.Equal(t, 1, w.auditCount(t, registration.AuditRound))
		})
		t.Run("publishing the same draft again returns the same report and writes nothing", func(t *testing.T) {
			trail, err := w.app.Registrations.AuditTrail(w.ctx, jugendamt, registration.AuditQuery{})
			require.NoError(t, err)
			again, err := w.app.Registrations.Publish(w.ctx, jugendamt, d.ID)
			require.NoError(t, err)
			assert.Equal(t, rep, again)
			after, err := w.app.Registrations.AuditTrail(w.ctx, jugendamt, registration.AuditQuery{})
			require.NoError(t, err)
			assert.Len(t, after, len(trail), "no audit entry is added")
			assert.Equal(t, rep.Offers, w.roundState(t))
		})
		t.Run("a published round takes no further dry run and no other draft", func(t *testing.T) {
			_, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.ErrorIs(t, err, registration.ErrRoundPublished)
			_, err = w.app.Registrations.Publish(w.ctx, jugendamt, older.ID)
			require.ErrorIs(t, err, app.ErrPublishedElsewhere)
			assert.Equal(t, "Diese Vergaberunde ist bereits aus einem anderen Probelauf veröffentlicht.", w.app.Translator.Error(err, "de"))
			got, err := w.app.Registrations.Draft(w.ctx, jugendamt, d.ID)
			require.NoError(t, err)
			require.NotNil(t, got.Published)
			assert.Equal(t, rep.Offers, got.Published.Offers)
			assert.Equal(t, jugendamt.String(), got.Published.By)
		})
		t.Run("the next round compares with the last published round, leaving out who was placed in it", func(t *testing.T) {
			for i := range 3 {
				w.submit(t, access.NewGuardian(fmt.Sprint("n", i), fmt.Sprint("N", i)), fmt.Sprint("Neu", i), nil)
			}
			next, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{Round: 2})
			require.NoError(t, err)
			assert.Equal(t, d.ID, next.Baseline)
			require.NotEmpty(t, next.Changes, "the new families")
			for _, c := range next.Changes {
				assert.NotEmpty(t, c.Positions, "every change of a later round is a child of that round")
			}
		})
	})
}

func TestPublishRaces(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		w.families(t, 10)
		t.Run("the same draft published twice at once is written once; both get its report", func(t *testing.T) {
			d, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			var wg sync.WaitGroup
			reps := make([]registration.RoundReport, 2)
			errs := make([]error, 2)
			for i := range 2 {
				wg.Go(func() { reps[i], errs[i] = w.app.Registrations.Publish(w.ctx, jugendamt, d.ID) })
			}
			wg.Wait()
			require.NoError(t, errs[0])
			require.NoError(t, errs[1])
			assert.Equal(t, reps[0], reps[1])
			assert.Equal(t, reps[0].Offers, w.roundState(t))
			assert.Equal(t, 1, w.auditCount(t, registration.AuditRound))
		})
		t.Run("a round published before drafts existed is not published again from a draft", func(t *testing.T) {
			require.NoError(t, w.store.Atomic(w.ctx, func(tx app.Tx) error {
				_, err := tx.Applications().NextSequence(w.ctx, registration.RoundMarker("2027/2028", 3))
				return err
			}))
			d, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{Round: 3})
			require.NoError(t, err)
			_, err = w.app.Registrations.Publish(w.ctx, jugendamt, d.ID)
			require.ErrorIs(t, err, app.ErrPublishedElsewhere)
			assert.Equal(t, problem.Conflict, problem.KindOf(err))
			got, err := w.app.Registrations.Draft(w.ctx, jugendamt, d.ID)
			require.NoError(t, err)
			assert.Nil(t, got.Published)
		})
	})
}

func TestPositions(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		w.families(t, 20)
		t.Run("before a round is published there is no position, and it says so", func(t *testing.T) {
			_, err := w.app.Registrations.Positions(w.ctx, guardianA, w.appA.ID)
			require.ErrorIs(t, err, app.ErrNoRound)
			_, err = w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
			require.NoError(t, err)
			_, err = w.app.Registrations.Positions(w.ctx, guardianA, w.appA.ID)
			require.ErrorIs(t, err, app.ErrNoRound, "a dry run is not published")
		})
		rep, err := w.app.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
		require.NoError(t, err)
		t.Run("the family sees its child's rank and the last admitted rank on each of its Kitas' lists", func(t *testing.T) {
			got, err := w.app.Registrations.Positions(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, "2027/2028", got.Year)
			assert.Equal(t, 1, got.Round)
			assert.False(t, got.PublishedAt.IsZero())
			require.Len(t, got.Positions, len(w.appA.Choices))
			for i, p := range got.Positions {
				assert.Equal(t, w.appA.ID, p.Applicant)
				assert.Equal(t, w.appA.Choices[i].KitaID, p.Facility)
				assert.Equal(t, i+1, p.Choice)
				assert.Positive(t, p.Rank)
				assert.Equal(t, rep.Result.Placements[w.appA.ID] == p.Facility, p.Placed)
				if p.Placed {
					assert.LessOrEqual(t, p.Rank, p.LastAdmitted, "a placed child ranks within the admitted")
				}
			}
			fromJA, err := w.app.Registrations.Positions(w.ctx, jugendamt, w.appA.ID)
			require.NoError(t, err)
			assert.Equal(t, got, fromJA)
		})
		t.Run("another family and a carrier get the same not-found as for an unknown record", func(t *testing.T) {
			for _, actor := range []access.Actor{guardianB, staffT01, staffT05, fbI} {
				_, err := w.app.Registrations.Positions(w.ctx, actor, w.appA.ID)
				require.ErrorIs(t, err, access.ErrDenied, actor.String())
			}
			_, err := w.app.Registrations.Positions(w.ctx, guardianA, "no-such-application")
			require.ErrorIs(t, err, access.ErrDenied)
		})
		t.Run("after a later round the child keeps its positions from the round it took part in", func(t *testing.T) {
			late := w.submit(t, access.NewGuardian("gm", "M"), "Mai", nil)
			second, err := w.app.Registrations.RunRound(w.ctx, jugendamt, "2027/2028", app.RoundOptions{Round: 2})
			require.NoError(t, err)
			got, err := w.app.Registrations.Positions(w.ctx, guardianA, w.appA.ID)
			require.NoError(t, err)
			// Ids are random, so the lottery may or may not have placed A's
			// child in round 1: placed, it took no part in round 2 and keeps
			// round 1's positions; waiting, it took part in round 2.
			if rep.Result.Placements[w.appA.ID] != "" {
				assert.Equal(t, 1, got.Round, "family A's child was offered a place in round 1 and took no part in round 2")
			} else {
				assert.Equal(t, 2, got.Round, "family A's child still waited and took part in round 2")
			}
			got, err = w.app.Registrations.Positions(w.ctx, access.NewGuardian("gm", "M"), late.ID)
			require.NoError(t, err)
			assert.Equal(t, 2, got.Round)
			assert.Equal(t, second.Result.Placements[late.ID] != "", slices.ContainsFunc(got.Positions, func(p allocation.Position) bool { return p.Placed }))
		})
		t.Run("a child not in any published round has no position", func(t *testing.T) {
			late := w.submit(t, access.NewGuardian("gl", "L"), "Spät", nil)
			_, err := w.app.Registrations.Positions(w.ctx, access.NewGuardian("gl", "L"), late.ID)
			require.ErrorIs(t, err, app.ErrNoRound)
			assert.Equal(t, problem.WrongState, problem.KindOf(err))
		})
	})
}

func TestErasureLeavesNoChildInDrafts(t *testing.T) {
	forEach(t, func(t *testing.T, w *world) {
		w.families(t, 6)
		d, err := w.app.Registrations.DryRun(w.ctx, jugendamt, "2027/2028", app.RoundOptions{})
		require.NoError(t, err)
		require.Contains(t, d.Result.Placements, w.appA.ID)
		t.Run("erasing a family removes its children from every stored draft", func(t *testing.T) {
			_, err := w.app.Registrations.Erase(context.Background(), guardianA, "A")
			require.NoError(t, err)
			got, err := w.app.Registrations.Draft(w.ctx, jugendamt, d.ID)
			require.NoError(t, err)
			assert.NotContains(t, got.Result.Placements, w.appA.ID)
			for _, a := range got.Instance.Applicants {
				assert.NotEqual(t, w.appA.ID, a.ID)
			}
			for _, order := range got.Result.Priorities {
				assert.NotContains(t, order, w.appA.ID)
			}
			for _, c := range got.Changes {
				assert.NotEqual(t, w.appA.ID, c.ApplicationID)
				assert.NotEqual(t, "A", c.FamilyID)
			}
			assert.Len(t, got.Instance.Applicants, len(d.Instance.Applicants)-1, "the other families stay")
		})
	})
}
