package access

import (
	"github.com/kitaportal/kitaportal/problem"

	"github.com/kitaportal/kitaportal/internal/enum"
)

// ErrDenied: the actor may not do this. It says nothing about whether the
// record exists.
var ErrDenied = problem.NewSentinel(problem.NotFound, CodeDenied, "access: denied")

// CodeDenied is the stable code of [ErrDenied].
const CodeDenied problem.Code = "access.denied"

// Messages are the German and English texts of the access codes. A denial
// reads like a record that is not there.
var Messages = problem.Catalog{
	"de": {CodeDenied: "Dieser Eintrag wurde nicht gefunden."},
	"en": {CodeDenied: "This record was not found."},
}

// Role is the kind of actor.
type Role int

// The roles.
const (
	// Guardian is a parent or other Erziehungsberechtigte/r acting for a family.
	Guardian Role = iota + 1
	// CarrierStaff works for a Träger and acts for its Kitas.
	CarrierStaff
	// Fachberatung is the Kindertagespflege office of one district.
	Fachberatung
	// Jugendamt is the youth welfare office that runs the portal.
	Jugendamt
	// System is the library itself: dispatcher, allocation rounds, retention.
	System
)

var roleNames = [...]string{"", "guardian", "carrier_staff", "fachberatung", "jugendamt", "system"}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r >= Guardian && r <= System }

// String returns the stable name.
func (r Role) String() string {
	return enum.Name(roleNames[:], r)
}

// Actor is the authenticated party behind a call. Authentication stays with
// the embedding portal, which builds the Actor from its session.
type Actor struct {
	Role Role
	// ID identifies the person or process (for the audit trail).
	ID string
	// FamilyID is the family a Guardian acts for.
	FamilyID string
	// CarrierID is the Träger a CarrierStaff member works for.
	CarrierID string
	// District is the Stadtbezirk of a Fachberatung.
	District string
}

// NewGuardian returns a guardian acting for a family.
func NewGuardian(id, familyID string) Actor {
	return Actor{Role: Guardian, ID: id, FamilyID: familyID}
}

// NewCarrierStaff returns a member of a carrier's staff.
func NewCarrierStaff(id, carrierID string) Actor {
	return Actor{Role: CarrierStaff, ID: id, CarrierID: carrierID}
}

// NewFachberatung returns a member of a district's Fachberatung.
func NewFachberatung(id, district string) Actor {
	return Actor{Role: Fachberatung, ID: id, District: district}
}

// NewJugendamt returns a member of the Jugendamt.
func NewJugendamt(id string) Actor { return Actor{Role: Jugendamt, ID: id} }

// SystemActor is the library's own actor.
var SystemActor = Actor{Role: System, ID: "system"}

// Valid reports whether the actor carries what its role needs.
func (a Actor) Valid() bool {
	if a.ID == "" {
		return false
	}
	switch a.Role {
	case Guardian:
		return a.FamilyID != ""
	case CarrierStaff:
		return a.CarrierID != ""
	case Fachberatung:
		return a.District != ""
	case Jugendamt, System:
		return true
	}
	return false
}

// String returns "role:id" for the audit trail (ids only, no names).
func (a Actor) String() string { return a.Role.String() + ":" + a.ID }

// View is how much of an application an actor may see.
type View int

// The views.
const (
	// NoView: nothing.
	NoView View = iota
	// KitaView: what a Kita needs to decide: the child, the family's
	// contact, hours and start, and the choice of this carrier's Kitas;
	// not the other choices, the rank order or the hardship reason.
	KitaView
	// FullView: everything.
	FullView
)

// ApplicationView returns how much of an application the actor may see:
// the Kita view for a carrier's staff, everything for the others the
// table lets read it ([ReadApplication]).
func ApplicationView(a Actor, s Subject) View {
	if Can(a, ReadApplication, s) != nil {
		return NoView
	}
	if a.Role == CarrierStaff {
		return KitaView
	}
	return FullView
}
