package postgres

import (
	"slices"
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/registration"
)

// applicationDoc is the stored document of a registration.Application in
// applications.doc. The adapter owns its field names: they are the names
// the first schema stored, pinned by testdata/application.golden.json,
// and do not follow the domain's JSON tags. Enums, dates and instants are
// stored in their stable text forms (Status.String, ISO dates, RFC 3339).
type applicationDoc struct {
	ID                string                `json:"id"`
	Reference         string                `json:"reference"`
	FamilyID          string                `json:"family_id"`
	Year              string                `json:"year"`
	Child             childDoc              `json:"child"`
	Guardians         []guardianDoc         `json:"guardians"`
	Address           addressDoc            `json:"address"`
	District          string                `json:"district"`
	Start             date.Date             `json:"start"`
	Hours             kita.Hours            `json:"hours"`
	HoursAlternatives []kita.Hours          `json:"hours_alternatives,omitempty"`
	Choices           []choiceDoc           `json:"choices"`
	TP                *tagespflegeDoc       `json:"tagespflege,omitempty"`
	Criteria          criteriaDoc           `json:"criteria"`
	Together          bool                  `json:"together,omitempty"`
	ConsentAt         time.Time             `json:"consent_at"`
	Flags             []registration.Flag   `json:"flags,omitempty"`
	IdempotencyKey    string                `json:"idempotency_key,omitempty"`
	ChildKey          string                `json:"child_key"`
	SubmittedAt       time.Time             `json:"submitted_at"`
	UpdatedAt         time.Time             `json:"updated_at"`
	Anonymized        bool                  `json:"anonymized,omitempty"`
	Status            registration.Status   `json:"status"`
	Offer             *offerDoc             `json:"offer,omitempty"`
	Held              *offerDoc             `json:"held,omitempty"`
	Version           int64                 `json:"version"`
	History           []applicationEventDoc `json:"history"`
}

type childDoc struct {
	GivenName  string    `json:"given_name"`
	FamilyName string    `json:"family_name"`
	BirthDate  date.Date `json:"birth_date"`
	Unborn     bool      `json:"unborn,omitempty"`
}

type guardianDoc struct {
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
	Email      string `json:"email"`
	Phone      string `json:"phone,omitempty"`
	Language   string `json:"language"`
	Working    bool   `json:"working"`
}

// addressDoc is a stored geo.Address (applications and minders).
type addressDoc struct {
	Street      string `json:"street"`
	HouseNumber string `json:"house_number"`
	PostalCode  string `json:"postal_code"`
	City        string `json:"city"`
}

type choiceDoc struct {
	Rank    int                       `json:"rank"`
	KitaID  string                    `json:"kita_id"`
	Status  registration.ChoiceStatus `json:"status"`
	Carrier string                    `json:"carrier"`
}

type tagespflegeDoc struct {
	District   string `json:"district"`
	ReferralID string `json:"referral_id"`
}

type criteriaDoc struct {
	SiblingKitaIDs []string `json:"sibling_kita_ids,omitempty"`
	SingleParent   bool     `json:"single_parent,omitempty"`
	Hardship       bool     `json:"hardship,omitempty"`
	HardshipReason string   `json:"hardship_reason,omitempty"`
}

type offerDoc struct {
	KitaID    string     `json:"kita_id"`
	Band      kita.Band  `json:"band"`
	Hours     kita.Hours `json:"hours,omitempty"`
	From      string     `json:"from,omitempty"`
	Round     int        `json:"round"`
	At        time.Time  `json:"at"`
	RespondBy date.Date  `json:"respond_by"`
	Reminded  bool       `json:"reminded,omitempty"`
}

type applicationEventDoc struct {
	At     time.Time           `json:"at"`
	Actor  string              `json:"actor"`
	From   registration.Status `json:"from,omitempty"`
	To     registration.Status `json:"to"`
	Reason string              `json:"reason,omitempty"`
}

func toAddressDoc(a geo.Address) addressDoc {
	return addressDoc{Street: a.Street, HouseNumber: a.HouseNumber, PostalCode: a.PostalCode, City: a.City}
}

func (d addressDoc) address() geo.Address {
	return geo.Address{Street: d.Street, HouseNumber: d.HouseNumber, PostalCode: d.PostalCode, City: d.City}
}

// mapSlice converts each element of s with f; nil stays nil, so that
// omitempty and null read back as they were written.
func mapSlice[S, T any](s []S, f func(S) T) []T {
	if s == nil {
		return nil
	}
	out := make([]T, len(s))
	for i, x := range s {
		out[i] = f(x)
	}
	return out
}

// toApplicationDoc is the stored document of a.
func toApplicationDoc(a registration.Application) applicationDoc {
	l := a.Lifecycle()
	d := applicationDoc{
		ID: a.ID, Reference: a.Reference, FamilyID: a.FamilyID, Year: a.Year,
		Child: childDoc{GivenName: a.Child.GivenName, FamilyName: a.Child.FamilyName, BirthDate: a.Child.BirthDate, Unborn: a.Child.Unborn},
		Guardians: mapSlice(a.Guardians, func(g registration.Guardian) guardianDoc {
			return guardianDoc{GivenName: g.GivenName, FamilyName: g.FamilyName, Email: g.Email, Phone: g.Phone, Language: g.Language, Working: g.Working}
		}),
		Address: toAddressDoc(a.Address), District: a.District, Start: a.Start, Hours: a.Hours,
		HoursAlternatives: slices.Clone(a.HoursAlternatives),
		Choices: mapSlice(a.Choices, func(c registration.Choice) choiceDoc {
			return choiceDoc{Rank: c.Rank, KitaID: c.KitaID, Status: c.Status, Carrier: c.Carrier}
		}),
		Criteria: criteriaDoc{
			SiblingKitaIDs: a.Criteria.SiblingKitaIDs, SingleParent: a.Criteria.SingleParent,
			Hardship: a.Criteria.Hardship, HardshipReason: string(a.Criteria.HardshipReason),
		},
		Together:  a.Together,
		ConsentAt: a.ConsentAt, Flags: a.Flags, IdempotencyKey: a.IdempotencyKey, ChildKey: a.ChildKey,
		SubmittedAt: a.SubmittedAt, UpdatedAt: a.UpdatedAt, Anonymized: a.Anonymized,
		Status: l.Status, Version: l.Version,
		History: mapSlice(l.History, func(e registration.Event) applicationEventDoc {
			return applicationEventDoc{At: e.At, Actor: e.Actor, From: e.From, To: e.To, Reason: e.Reason}
		}),
	}
	if a.TP != nil {
		d.TP = &tagespflegeDoc{District: a.TP.District, ReferralID: a.TP.ReferralID}
	}
	d.Offer, d.Held = toOfferDoc(l.Offer), toOfferDoc(l.Held)
	return d
}

// toOfferDoc is the stored document of an offer (nil stays nil).
func toOfferDoc(o *registration.Offer) *offerDoc {
	if o == nil {
		return nil
	}
	return &offerDoc{KitaID: o.KitaID, Band: o.Band, Hours: o.Hours, From: o.From, Round: o.Round, At: o.At, RespondBy: o.RespondBy, Reminded: o.Reminded}
}

// offer is the domain value of a stored offer (nil stays nil).
func (o *offerDoc) offer() *registration.Offer {
	if o == nil {
		return nil
	}
	return &registration.Offer{KitaID: o.KitaID, Band: o.Band, Hours: o.Hours, From: o.From, Round: o.Round, At: o.At, RespondBy: o.RespondBy, Reminded: o.Reminded}
}

// application rehydrates the domain value through registration.Rehydrate.
func (d applicationDoc) application() registration.Application {
	a := registration.Application{
		ID: d.ID, Reference: d.Reference, FamilyID: d.FamilyID, Year: d.Year,
		Child: registration.Child{GivenName: d.Child.GivenName, FamilyName: d.Child.FamilyName, BirthDate: d.Child.BirthDate, Unborn: d.Child.Unborn},
		Guardians: mapSlice(d.Guardians, func(g guardianDoc) registration.Guardian {
			return registration.Guardian{GivenName: g.GivenName, FamilyName: g.FamilyName, Email: g.Email, Phone: g.Phone, Language: g.Language, Working: g.Working}
		}),
		Address: d.Address.address(), District: d.District, Start: d.Start, Hours: d.Hours,
		HoursAlternatives: slices.Clone(d.HoursAlternatives),
		Choices: mapSlice(d.Choices, func(c choiceDoc) registration.Choice {
			return registration.Choice{Rank: c.Rank, KitaID: c.KitaID, Status: c.Status, Carrier: c.Carrier}
		}),
		Criteria: registration.Criteria{
			SiblingKitaIDs: d.Criteria.SiblingKitaIDs, SingleParent: d.Criteria.SingleParent,
			Hardship: d.Criteria.Hardship, HardshipReason: registration.HardshipReason(d.Criteria.HardshipReason),
		},
		Together:  d.Together,
		ConsentAt: d.ConsentAt, Flags: d.Flags, IdempotencyKey: d.IdempotencyKey, ChildKey: d.ChildKey,
		SubmittedAt: d.SubmittedAt, UpdatedAt: d.UpdatedAt, Anonymized: d.Anonymized,
	}
	if d.TP != nil {
		a.TP = &registration.Tagespflege{District: d.TP.District, ReferralID: d.TP.ReferralID}
	}
	l := registration.Lifecycle{
		Status: d.Status, Version: d.Version,
		History: mapSlice(d.History, func(e applicationEventDoc) registration.Event {
			return registration.Event{At: e.At, Actor: e.Actor, From: e.From, To: e.To, Reason: e.Reason}
		}),
	}
	l.Offer, l.Held = d.Offer.offer(), d.Held.offer()
	return registration.Rehydrate(a, l)
}
