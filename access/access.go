package access

import (
	"errors"

	"github.com/kitaportal/kitaportal/internal/enum"
)

// ErrDenied: the actor may not do this. It says nothing about whether the
// record exists.
var ErrDenied = errors.New("access: denied")

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

// Application is what the rules need to know of an application.
type Application struct {
	FamilyID string
	// Carriers are the carriers of the chosen Kitas.
	Carriers []string
	// District is the Tagespflege district, if Tagespflege was chosen.
	TagespflegeDistrict string
}

// ApplicationView returns how much of an application the actor may see.
func ApplicationView(a Actor, app Application) View {
	if !a.Valid() {
		return NoView
	}
	switch a.Role {
	case Jugendamt, System:
		return FullView
	case Guardian:
		if a.FamilyID == app.FamilyID {
			return FullView
		}
	case CarrierStaff:
		for _, c := range app.Carriers {
			if c == a.CarrierID {
				return KitaView
			}
		}
	}
	return NoView
}

// ReadApplication returns ErrDenied unless the actor may see the application at all.
func ReadApplication(a Actor, app Application) error {
	if ApplicationView(a, app) == NoView {
		return ErrDenied
	}
	return nil
}

// ChangeApplication allows the family itself, the Jugendamt and the system
// to change choices or withdraw.
func ChangeApplication(a Actor, app Application) error {
	if ApplicationView(a, app) == FullView {
		return nil
	}
	return ErrDenied
}

// SubmitFor allows a guardian to submit for their own family, and the
// Jugendamt (registering on a family's behalf at the counter).
func SubmitFor(a Actor, familyID string) error {
	if !a.Valid() {
		return ErrDenied
	}
	switch a.Role {
	case Guardian:
		if a.FamilyID == familyID {
			return nil
		}
	case Jugendamt:
		return nil
	}
	return ErrDenied
}

// ActOnKita allows a carrier's staff to act for its own Kitas (offers,
// profile, free places), and the Jugendamt and system for all.
func ActOnKita(a Actor, kitaCarrier string) error {
	if !a.Valid() {
		return ErrDenied
	}
	switch a.Role {
	case Jugendamt, System:
		return nil
	case CarrierStaff:
		if a.CarrierID == kitaCarrier {
			return nil
		}
	}
	return ErrDenied
}

// ReadReferrals allows a Fachberatung its own district, and the Jugendamt and system all.
func ReadReferrals(a Actor, district string) error {
	if !a.Valid() {
		return ErrDenied
	}
	switch a.Role {
	case Jugendamt, System:
		return nil
	case Fachberatung:
		if a.District == district {
			return nil
		}
	}
	return ErrDenied
}

// RunAllocation allows the Jugendamt and the system to run allocation
// rounds and read city-wide reports.
func RunAllocation(a Actor) error {
	if a.Valid() && (a.Role == Jugendamt || a.Role == System) {
		return nil
	}
	return ErrDenied
}
