package access

import (
	"slices"

	"github.com/kitaportal/kitaportal/internal/enum"
)

// Operation is a use case of the application layer that takes an actor.
type Operation int

// The operations. Each has one row in the table of [Can].
const (
	// SubmitApplication: submit a Voranmeldung for a family.
	SubmitApplication Operation = iota + 1
	// ReadApplication: read one application or list applications.
	ReadApplication
	// ChangeApplication: change choices, withdraw, accept or decline an offer.
	ChangeApplication
	// OfferPlace: offer a place at a Kita to an application that chose it.
	OfferPlace
	// RecordContract: record a signed care contract, generate the contract.
	RecordContract
	// ReadFamily: read a family's received messages and its data export.
	ReadFamily
	// EraseFamily: erase a family's personal data on request.
	EraseFamily
	// RunAllocation: allocation rounds, offers lapsing, year expiry, retention.
	RunAllocation
	// ReadReports: city-wide figures.
	ReadReports
	// ReadReferrals: list and read Tagespflege referrals and minders.
	ReadReferrals
	// ChangeReferral: contact, place with a minder, close; register minders.
	ChangeReferral
	// EditKita: a Kita's public profile, free places and closure.
	EditKita
	// ReadAudit: the audit trail.
	ReadAudit
	// DryRunRound: run an allocation round as a dry run and read its drafts.
	DryRunRound
	// PublishRound: publish a dry run's offers.
	PublishRound
	// ReadPositions: a child's rank and the last admitted rank on each
	// of its Kitas' lists after the last published round.
	ReadPositions
)

var operationNames = [...]string{"", "submit_application", "read_application", "change_application",
	"offer_place", "record_contract", "read_family", "erase_family", "run_allocation", "read_reports",
	"read_referrals", "change_referral", "edit_kita", "read_audit",
	"dry_run_round", "publish_round", "read_positions"}

// Valid reports whether o is a known operation.
func (o Operation) Valid() bool { return o >= SubmitApplication && o <= ReadPositions }

// String returns the stable name.
func (o Operation) String() string { return enum.Name(operationNames[:], o) }

// Operations returns every operation, in order.
func Operations() []Operation {
	out := make([]Operation, 0, len(operationNames)-1)
	for o := SubmitApplication; o.Valid(); o++ {
		out = append(out, o)
	}
	return out
}

// Roles returns every role, in order.
func Roles() []Role {
	out := make([]Role, 0, len(roleNames)-1)
	for r := Guardian; r.Valid(); r++ {
		out = append(out, r)
	}
	return out
}

// Subject is what the rules need to know of the record an operation acts on.
type Subject struct {
	// FamilyID is the family the record belongs to.
	FamilyID string
	// Carriers are the carriers the record concerns (the Kitas chosen, or
	// the Kita acted on).
	Carriers []string
	// District is the Stadtbezirk of a referral or minder.
	District string
}

// Rule is how a role may perform an operation.
type Rule int

// The rules.
const (
	// Never: the role may not.
	Never Rule = iota
	// Own: only on its own records: a guardian its family's, a carrier's
	// staff its carrier's Kitas, a Fachberatung its district's.
	Own
	// Always: on every record.
	Always
)

var ruleNames = [...]string{"never", "own", "always"}

// Valid reports whether r is a known rule.
func (r Rule) Valid() bool { return r >= Never && r <= Always }

// String returns the stable name.
func (r Rule) String() string { return enum.Name(ruleNames[:], r) }

// table is every access decision of kitaportal: operation x role -> rule.
// Roles not named get Never.
var table = map[Operation]map[Role]Rule{
	SubmitApplication: {Guardian: Own, Jugendamt: Always},
	ReadApplication:   {Guardian: Own, CarrierStaff: Own, Jugendamt: Always, System: Always},
	ChangeApplication: {Guardian: Own, Jugendamt: Always, System: Always},
	OfferPlace:        {CarrierStaff: Own, Jugendamt: Always, System: Always},
	RecordContract:    {Guardian: Own, CarrierStaff: Own, Jugendamt: Always, System: Always},
	ReadFamily:        {Guardian: Own, Jugendamt: Always, System: Always},
	EraseFamily:       {Guardian: Own, Jugendamt: Always, System: Always},
	RunAllocation:     {Jugendamt: Always, System: Always},
	ReadReports:       {Jugendamt: Always, System: Always},
	ReadAudit:         {Jugendamt: Always},
	ReadReferrals:     {Fachberatung: Own, Jugendamt: Always, System: Always},
	ChangeReferral:    {Fachberatung: Own, Jugendamt: Always, System: Always},
	EditKita:          {CarrierStaff: Own, Jugendamt: Always, System: Always},
	DryRunRound:       {Jugendamt: Always, System: Always},
	PublishRound:      {Jugendamt: Always, System: Always},
	ReadPositions:     {Guardian: Own, Jugendamt: Always, System: Always},
}

// RuleOf returns the table's rule for a role and an operation.
func RuleOf(op Operation, role Role) Rule { return table[op][role] }

// Can decides whether the actor may perform op on the subject: nil, or
// [ErrDenied]. An invalid actor may do nothing.
func Can(a Actor, op Operation, s Subject) error {
	if !a.Valid() {
		return ErrDenied
	}
	switch RuleOf(op, a.Role) {
	case Always:
		return nil
	case Own:
		if owns(a, s) {
			return nil
		}
	}
	return ErrDenied
}

// owns reports whether the subject is the actor's own.
func owns(a Actor, s Subject) bool {
	switch a.Role {
	case Guardian:
		return s.FamilyID != "" && s.FamilyID == a.FamilyID
	case CarrierStaff:
		return slices.Contains(s.Carriers, a.CarrierID)
	case Fachberatung:
		return s.District != "" && s.District == a.District
	}
	return false
}

// Scope returns how far an actor's list of op reaches: every record
// (Always), its own (Own) or none (Never). A list narrows its query by it.
func Scope(a Actor, op Operation) Rule {
	if !a.Valid() {
		return Never
	}
	return RuleOf(op, a.Role)
}

// FamilyOf returns the family a guardian acts for ("" for other roles).
func FamilyOf(a Actor) string {
	if a.Role == Guardian {
		return a.FamilyID
	}
	return ""
}

// NarrowKitas keeps, of the Kitas a list is filtered by, those the actor's
// list may be filtered by: a carrier's staff only its own carrier's Kitas
// (carrierOf names a Kita's carrier), so that filtering by another
// carrier's Kita tells it nothing; every other role all of them.
func NarrowKitas(a Actor, kitaIDs []string, carrierOf func(kitaID string) string) []string {
	if a.Role != CarrierStaff {
		return kitaIDs
	}
	var out []string
	for _, id := range kitaIDs {
		if carrierOf(id) == a.CarrierID {
			out = append(out, id)
		}
	}
	return out
}
