package registration

import (
	"time"

	"github.com/rickb777/date"

	"github.com/kitaportal/kitaportal/geo"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/notify"
)

func noteDate(d date.Date) notify.Date { return notify.DateOf(d.Date()) }

func childName(a Application) string { return a.Child.GivenName + " " + a.Child.FamilyName }

// lang returns the first guardian's preferred language.
func lang(a Application) string {
	if len(a.Guardians) > 0 && a.Guardians[0].Language != "" {
		return a.Guardians[0].Language
	}
	return "de"
}

// kitaLine is the line of the Kita id as a confirmation lists it (line);
// a Kita the catalogue no longer has is listed by its empty entry.
func (s *Checker) kitaLine(rank int, id string) notify.KitaLine {
	k, ok := s.catalogue.Get(id)
	if !ok {
		return lineOf(rank, k)
	}
	return s.line(rank, k)
}

// line is lineOf with the address line kept per Kita (Checker.lines):
// made once for a Kita and its address, not once per submission; a Kita
// whose address changed gets a new one.
func (s *Checker) line(rank int, k kita.Kita) notify.KitaLine {
	if v, ok := s.lines.Load(k.ID); ok {
		if l := v.(*addressLine); l.addr == k.Address {
			return notify.KitaLine{Rank: rank, Name: k.Name, Address: l.line}
		}
	}
	line := lineOf(rank, k)
	s.lines.Store(k.ID, &addressLine{addr: k.Address, line: line.Address})
	return line
}

// addressLine is a Kita's address and its line in a confirmation.
type addressLine struct {
	addr geo.Address
	line string
}

// lineOf is a Kita as a confirmation lists it: rank, name and address.
func lineOf(rank int, k kita.Kita) notify.KitaLine {
	a := k.Address
	var addr string // one concatenation, one string
	switch {
	case a.HouseNumber != "" && a.PostalCode != "":
		addr = a.Street + " " + a.HouseNumber + ", " + a.PostalCode + " " + a.City
	case a.HouseNumber != "":
		addr = a.Street + " " + a.HouseNumber
	case a.PostalCode != "":
		addr = a.Street + ", " + a.PostalCode + " " + a.City
	default:
		addr = a.Street
	}
	return notify.KitaLine{Rank: rank, Name: k.Name, Address: addr}
}

// familyMessages are the outbox messages of kind to the family: to the
// first guardian, and a copy as its own message to the second where the
// address differs. Their texts are rendered from data when they are read
// ([notify.Content], each message's kept with its data:
// [notify.ContentOf]), appended to out.
func familyMessages[D any](s *Checker, out []notify.Message, a Application, kind notify.Kind, data D, now time.Time) ([]notify.Message, error) {
	for i, g := range a.Guardians {
		if i > 0 && g.Email == a.Guardians[0].Email {
			continue
		}
		l := g.Language
		if l == "" {
			l = lang(a)
		}
		content, err := notify.ContentOf(s.templates, kind, l, data)
		if err != nil {
			return nil, err
		}
		out = append(out, notify.Message{
			ID: s.newID(), Kind: kind, Subject: a.ID, FamilyID: a.FamilyID,
			To: g.Email, ToName: g.GivenName + " " + g.FamilyName, Lang: l,
			Content: content, Status: notify.Pending, CreatedAt: now, NextAttempt: now,
		})
	}
	return out, nil
}

// SubmissionMessages are the confirmation to the family and, with
// Tagespflege, the referral message to the district's Fachberatung.
// lines are the chosen Kitas in rank order as validation looked them up
// ([Draft.Lines]).
func (s *Checker) SubmissionMessages(a Application, lines []notify.KitaLine, now time.Time) ([]notify.Message, error) {
	return s.AppendSubmissionMessages(nil, a, lines, now)
}

// AppendSubmissionMessages appends the messages of
// [Checker.SubmissionMessages] to dst and returns the extended list, in
// dst's room where it has enough (as append does), so that a caller
// handing the messages on at once can make them without allocating the
// list. On a problem it returns nil and the problem.
func (s *Checker) AppendSubmissionMessages(dst []notify.Message, a Application, lines []notify.KitaLine, now time.Time) ([]notify.Message, error) {
	data := notify.ConfirmationData{
		Reference:    a.Reference,
		ChildName:    childName(a),
		StartDate:    noteDate(a.Start),
		Hours:        int(a.Hours),
		ShortNotice:  a.HasFlag(FlagShortNotice),
		NoticeMonths: s.rules.NoticeMonths,
		NoticeBasis:  s.rules.NoticeBasis,
		Kitas:        lines,
	}
	if a.TP != nil {
		o, _ := s.offices.ForDistrict(a.TP.District)
		d, _ := s.districts.Get(a.TP.District)
		data.Tagespflege = &notify.ReferralLine{District: d.Name, Office: notify.Contact{Name: o.Name, Email: o.Email, Phone: o.Phone}}
	}
	msgs, err := familyMessages(s, dst, a, notify.Confirmation, data, now)
	if err != nil {
		return nil, err
	}
	if tp := data.Tagespflege; tp != nil {
		g := a.Guardians[0]
		rd := notify.ReferralData{
			Reference: a.Reference, District: tp.District, OfficeName: tp.Office.Name,
			ChildName: childName(a), ChildBirth: noteDate(a.Child.BirthDate), StartDate: noteDate(a.Start),
			Hours:    int(a.Hours),
			Guardian: notify.Contact{Name: g.GivenName + " " + g.FamilyName, Email: g.Email, Phone: g.Phone},
			Language: languageName(g.Language),
		}
		content, err := notify.ContentOf(s.templates, notify.Referral, "de", rd)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, notify.Message{
			ID: s.newID(), Kind: notify.Referral, Subject: a.TP.ReferralID, FamilyID: a.FamilyID, To: tp.Office.Email, ToName: tp.Office.Name,
			Lang: "de", Content: content, Status: notify.Pending, CreatedAt: now, NextAttempt: now,
		})
	}
	return msgs, nil
}

func languageName(l string) string {
	if n, ok := languageNames[l]; ok {
		return n
	}
	return "Deutsch"
}

// languageNames are the German names of the languages a guardian may
// choose for the messages (GuardianInput.Language), for the Fachberatung.
var languageNames = map[string]string{
	"de": "Deutsch", "en": "Englisch", "tr": "Türkisch", "ar": "Arabisch",
	"uk": "Ukrainisch", "ru": "Russisch", "pl": "Polnisch",
}

// LifecycleMessages renders a lifecycle message (offer, withdrawal) to the family.
func (s *Checker) LifecycleMessages(a Application, kind notify.Kind, now time.Time) ([]notify.Message, error) {
	switch kind {
	case notify.Offer, notify.OfferReminder:
		k, _ := s.catalogue.Get(a.offer.KitaID)
		line := s.kitaLine(0, a.offer.KitaID)
		return familyMessages(s, nil, a, kind, notify.OfferData{
			Reference: a.Reference, ChildName: childName(a), KitaName: k.Name, KitaAddress: line.Address,
			StartDate: noteDate(a.Start), Hours: int(a.Hours), RespondBy: noteDate(a.offer.RespondBy),
		}, now)
	case notify.Withdrawal:
		return familyMessages(s, nil, a, kind, notify.WithdrawalData{Reference: a.Reference, ChildName: childName(a), WithdrawnOn: noteDate(s.rules.Today(now))}, now)
	}
	return nil, nil
}
