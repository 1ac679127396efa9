package tagespflege

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kitaportal/kitaportal/problem"
	"github.com/rickb777/date"
)

// Service is what the Fachberatung works with: the referrals of its
// district, their lifecycle, and the registry of minders and
// Großtagespflege groups. It holds the rules; the [Store] only persists.
// Every change runs in one [Store.Atomic] step whose version checks decide
// races (two offices placing the last place of one minder: one wins, the
// other gets ErrMinderFull or ErrConflict). A Service is safe for
// concurrent use.
type Service struct {
	store         Store
	offices       *Offices
	clock         func() time.Time
	newID         func() (string, error)
	crossDistrict bool
}

// Option configures a [Service].
type Option func(*Service)

// WithCrossDistrict lets an office place a child with a minder of another
// district (otherwise ErrDistrict).
func WithCrossDistrict() Option { return func(s *Service) { s.crossDistrict = true } }

// WithIDs replaces the id generator of new minders and groups (default:
// UUID version 7).
func WithIDs(newID func() string) Option {
	return func(s *Service) { s.newID = func() (string, error) { return newID(), nil } }
}

// NewService returns a service over store. offices is the directory of
// Fachberatung offices; districts without an office are rejected. clock
// tells the time; its location is the city's (Europe/Berlin), so that the
// date of clock() is "today".
func NewService(store Store, offices *Offices, clock func() time.Time, opts ...Option) *Service {
	s := &Service{store: store, offices: offices, clock: clock, newID: newUUID}
	for _, o := range opts {
		o(s)
	}
	return s
}

func newUUID() (string, error) {
	u, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

func (s *Service) today() date.Date { return date.NewAt(s.clock()) }

// checkDistrict reports an unknown district at field into c.
func (s *Service) checkDistrict(c *problem.Collector, field, district string) {
	if district == "" {
		return // reported by the struct tags
	}
	if _, ok := s.offices.ForDistrict(district); !ok {
		c.Add(field, CodeDistrictUnknown, ErrUnknownDistrict)
	}
}

// Referrals lists the district's referrals, oldest first, with paging
// (limit 0: all). An empty district lists all (for the Jugendamt); a
// district without office yields a [problem.List] with ErrUnknownDistrict.
func (s *Service) Referrals(ctx context.Context, district string, offset, limit int) ([]Referral, error) {
	var c problem.Collector
	s.checkDistrict(&c, "district", district)
	if err := c.Err(); err != nil {
		return nil, err
	}
	return s.store.Referrals(ctx, district, offset, limit)
}

// Referral returns one referral; ErrNotFound when unknown.
func (s *Service) Referral(ctx context.Context, id string) (Referral, error) {
	return s.store.Referral(ctx, id)
}

func requireActor(c *problem.Collector, actor string) {
	if actor == "" {
		c.Add("actor", CodeActorMissing, ErrMissing)
	}
}

// MarkContacted records that the office contacted the family, with an
// optional note. ErrTransition unless the referral is Open.
func (s *Service) MarkContacted(ctx context.Context, id, actor, note string) (Referral, error) {
	var c problem.Collector
	requireActor(&c, actor)
	if err := c.Err(); err != nil {
		return Referral{}, err
	}
	return s.updateReferral(ctx, id, func(_ Store, r *Referral) error {
		return r.MarkContacted(s.clock(), actor, note)
	})
}

// updateReferral reads the referral, lets change modify it (and write
// whatever else belongs to the step) and stores it, all in one atomic step
// whose version check decides concurrent writers.
func (s *Service) updateReferral(ctx context.Context, id string, change func(tx Store, r *Referral) error) (Referral, error) {
	var out Referral
	err := s.store.Atomic(ctx, func(tx Store) error {
		r, err := tx.Referral(ctx, id)
		if err != nil {
			return err
		}
		if err := change(tx, &r); err != nil {
			return err
		}
		if err := tx.UpdateReferral(ctx, r); err != nil {
			return err
		}
		r.version++
		out = r
		return nil
	})
	return out, err
}

// Place places the referral's child with the minder from start on, in one
// atomic step that updates the referral, the minder and the minder's
// Großtagespflege. It fails with
//   - ErrNotFound for an unknown referral or minder,
//   - ErrTransition unless the referral is Open or Contacted,
//   - ErrDistrict when the minder works in another district (unless
//     [WithCrossDistrict]),
//   - ErrLicence when the licence does not cover start,
//   - ErrMinderFull when the minder or the group has no free place,
//   - ErrConflict when a concurrent step changed one of the records.
func (s *Service) Place(ctx context.Context, id, minderID string, start date.Date, actor string) (Referral, error) {
	var c problem.Collector
	requireActor(&c, actor)
	if minderID == "" {
		c.Add("minder_id", CodeIDMissing, ErrMissing)
	}
	if start.IsZero() {
		c.Add("start", CodeStartMissing, ErrMissing)
	}
	if err := c.Err(); err != nil {
		return Referral{}, err
	}
	return s.updateReferral(ctx, id, func(tx Store, r *Referral) error {
		if !CanTransition(r.status, Placed) {
			return ErrTransition
		}
		m, err := tx.Minder(ctx, minderID)
		if err != nil {
			return err
		}
		if m.District != r.District && !s.crossDistrict {
			return ErrDistrict
		}
		now := s.clock()
		if err := m.Place(r.ID, start, now); err != nil {
			return err
		}
		var g Group
		if m.GroupID != "" {
			if g, err = tx.Group(ctx, m.GroupID); err != nil {
				return err
			}
			if err := g.Place(r.ID, now); err != nil {
				return err
			}
		}
		if err := r.Place(minderID, start, now, actor); err != nil {
			return err
		}
		// Minder before group, as release writes them: concurrent steps
		// lock the rows in one order.
		if err := tx.UpdateMinder(ctx, m); err != nil {
			return err
		}
		if m.GroupID == "" {
			return nil
		}
		return tx.UpdateGroup(ctx, g)
	})
}

// Close ends the referral for reason. Closing a placed referral frees its
// place with the minder (and the Großtagespflege) in the same atomic step.
// ErrTransition when the referral is closed already.
func (s *Service) Close(ctx context.Context, id, actor string, reason CloseReason) (Referral, error) {
	var c problem.Collector
	requireActor(&c, actor)
	if !reason.Valid() {
		c.Add("reason", CodeReasonInvalid, ErrRange)
	}
	if err := c.Err(); err != nil {
		return Referral{}, err
	}
	return s.updateReferral(ctx, id, func(tx Store, r *Referral) error {
		minderID := r.MinderID()
		now := s.clock()
		if err := r.Close(reason, now, actor); err != nil {
			return err
		}
		if minderID == "" {
			return nil
		}
		return s.release(ctx, tx, minderID, r.ID, now)
	})
}

// release ends the referral's placement with the minder and its
// Großtagespflege. A placement already missing there (a record repaired by
// hand) is no reason to keep the referral open: ErrNotPlaced leaves that
// record unchanged.
func (s *Service) release(ctx context.Context, tx Store, minderID, referralID string, now time.Time) error {
	m, err := tx.Minder(ctx, minderID)
	if err != nil {
		return err
	}
	switch err := m.EndPlacement(referralID, now); {
	case err == nil:
		if err := tx.UpdateMinder(ctx, m); err != nil {
			return err
		}
	case !errors.Is(err, ErrNotPlaced):
		return err
	}
	if m.GroupID == "" {
		return nil
	}
	g, err := tx.Group(ctx, m.GroupID)
	if err != nil {
		return err
	}
	switch err := g.EndPlacement(referralID, now); {
	case err == nil:
		return tx.UpdateGroup(ctx, g)
	case errors.Is(err, ErrNotPlaced):
		return nil
	default:
		return err
	}
}

// AddMinder registers a minder and returns it as stored (version 1). An
// empty ID is generated. The minder is validated ([Minder.Validate]), its
// district must have an office, and it starts without placements. With a
// GroupID the minder joins that Großtagespflege in the same atomic step:
// ErrNotFound for an unknown group, ErrDistrict for a group elsewhere, a
// [problem.List] when the group has three minders already.
func (s *Service) AddMinder(ctx context.Context, m Minder) (Minder, error) {
	if m.ID == "" {
		id, err := s.newID()
		if err != nil {
			return Minder{}, err
		}
		m.ID = id
	}
	now := s.clock().UTC()
	m.Hours = slices.Clone(m.Hours)
	placed := len(m.placements) > 0 // only a rehydrated minder has any
	m = RehydrateMinder(m, MinderState{CreatedAt: now, UpdatedAt: now, Version: 1})
	var c problem.Collector
	c.Merge("", m.Validate())
	s.checkDistrict(&c, "district", m.District)
	if placed {
		c.Add("placements", CodePlacementsNotAllowed, ErrRange)
	}
	if err := c.Err(); err != nil {
		return Minder{}, err
	}
	err := s.store.Atomic(ctx, func(tx Store) error {
		if m.GroupID != "" {
			g, err := tx.Group(ctx, m.GroupID)
			if err != nil {
				return err
			}
			if g.District != m.District {
				return ErrDistrict
			}
			if len(g.MinderIDs) >= GroupMaxMinders {
				var c problem.Collector
				c.Add("group_id", CodeGroupTooManyMinders, ErrLicenceLimit, "max", strconv.Itoa(GroupMaxMinders))
				return c.Err()
			}
			g.MinderIDs = append(slices.Clip(g.MinderIDs), m.ID)
			g.updatedAt = now
			if err := tx.UpdateGroup(ctx, g); err != nil {
				return err
			}
		}
		return tx.CreateMinder(ctx, m)
	})
	if err != nil {
		return Minder{}, err
	}
	return m, nil
}

// AddGroup registers a Großtagespflege and returns it as stored (version
// 1). An empty ID is generated. A new group has no minders and no
// placements yet; minders join through [Service.AddMinder].
func (s *Service) AddGroup(ctx context.Context, g Group) (Group, error) {
	if g.ID == "" {
		id, err := s.newID()
		if err != nil {
			return Group{}, err
		}
		g.ID = id
	}
	now := s.clock().UTC()
	notEmpty := len(g.MinderIDs) > 0 || len(g.placements) > 0
	g = RehydrateGroup(g, GroupState{CreatedAt: now, UpdatedAt: now, Version: 1})
	var c problem.Collector
	c.Merge("", g.Validate())
	s.checkDistrict(&c, "district", g.District)
	if notEmpty {
		c.Add("", CodeGroupNotEmpty, ErrRange)
	}
	if err := c.Err(); err != nil {
		return Group{}, err
	}
	if err := s.store.CreateGroup(ctx, g); err != nil {
		return Group{}, err
	}
	return g, nil
}

// Minders returns every minder of the district ("" for all), by id.
func (s *Service) Minders(ctx context.Context, district string) ([]Minder, error) {
	return s.store.Minders(ctx, district, 0, 0)
}

// FreePlaces returns how many children the district's minders can take
// today: per minder its free places if the licence covers today, and for a
// Großtagespflege no more than the group's free places.
func (s *Service) FreePlaces(ctx context.Context, district string) (int, error) {
	minders, err := s.store.Minders(ctx, district, 0, 0)
	if err != nil {
		return 0, err
	}
	today := s.today()
	total := 0
	inGroup := map[string]int{}
	for _, m := range minders {
		if m.GroupID == "" {
			total += m.FreePlaces(today)
			continue
		}
		inGroup[m.GroupID] += m.FreePlaces(today)
	}
	for id, free := range inGroup {
		g, err := s.store.Group(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return 0, err
		}
		total += min(free, g.FreePlaces())
	}
	return total, nil
}
