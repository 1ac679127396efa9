package notify

import (
	"fmt"
	"time"
)

// Date is a calendar date in a message (a start date, a birthday, a
// deadline), without time of day or zone. Domain packages convert their
// date.Date with DateOf(d.Date()).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date year-month-day.
func DateOf(year int, month time.Month, day int) Date {
	return Date{Year: year, Month: month, Day: day}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Format formats d with a time layout such as "02.01.2006". An unset date
// formats as "".
func (d Date) Format(layout string) string {
	if d.IsZero() {
		return ""
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(layout)
}

// String formats d as "2006-01-02".
func (d Date) String() string { return d.Format(time.DateOnly) }

// KitaLine is one ranked Kita choice in a confirmation.
type KitaLine struct {
	// Rank is the family's rank of the Kita, 1 for the first choice.
	Rank    int
	Name    string
	Address string
}

// Contact is how to reach a person or an office.
type Contact struct {
	Name  string
	Email string
	Phone string
}

// ReferralLine is the Kindertagespflege request of a confirmation: the
// district the family chose and its Fachberatung, whose contact the family
// gets.
type ReferralLine struct {
	// District is the name of the Stadtbezirk ("Mitte", "Wattenscheid").
	District string
	// Office is the district's Fachberatung Kindertagespflege.
	Office Contact
}

// ConfirmationData fills the [Confirmation] templates
// (Eingangsbestätigung einer Voranmeldung).
type ConfirmationData struct {
	// Reference is the application's human-readable number, "BO-2021-000123".
	Reference string
	ChildName string
	StartDate Date
	// Hours is the weekly care time (Betreuungsumfang), 25, 35 or 45 in NRW.
	Hours int
	// Kitas are the chosen Kitas in rank order.
	Kitas []KitaLine
	// Tagespflege is set when the family also asked for Kindertagespflege.
	Tagespflege *ReferralLine
	// ShortNotice says the start date is less than six months away: parents
	// should report their need six months before (§ 5 KiBiz).
	ShortNotice bool
	// NoticeMonths is how far ahead need should be reported (NRW: 6), and
	// NoticeBasis its legal basis ("§ 5 KiBiz"; empty prints none).
	NoticeMonths int
	NoticeBasis  string
	// Warnings are further notes, already in the message's language.
	Warnings []string
}

// ReferralData fills the [Referral] templates (Vermittlungsanfrage an die
// Fachberatung Kindertagespflege).
type ReferralData struct {
	// Reference is the application's human-readable number.
	Reference string
	// District is the name of the Stadtbezirk.
	District string
	// OfficeName is the Fachberatung the request goes to.
	OfficeName string
	ChildName  string
	ChildBirth Date
	StartDate  Date
	Hours      int
	// Guardian is the family's contact.
	Guardian Contact
	// Language is the language the family prefers to be contacted in,
	// already as a name in the message's language ("Deutsch", "Türkisch").
	Language string
}

// OfferData fills the [Offer] templates (a Kita offers a place) and the
// [OfferReminder] templates (the offer is still unanswered).
type OfferData struct {
	Reference   string
	ChildName   string
	KitaName    string
	KitaAddress string
	StartDate   Date
	Hours       int
	// RespondBy is the last day to accept the offer.
	RespondBy Date
	// Link is where the family answers (the city's portal).
	Link string
}

// WithdrawalData fills the [Withdrawal] templates.
type WithdrawalData struct {
	Reference   string
	ChildName   string
	WithdrawnOn Date
}

// ContractReadyData fills the [ContractReady] templates.
type ContractReadyData struct {
	Reference string
	ChildName string
	KitaName  string
	StartDate Date
	Hours     int
	// Link is where the family finds the care contract (Betreuungsvertrag).
	Link string
}

// checkData reports whether data fits kind, and names the expected type.
func checkData(kind Kind, data any) (ok bool, want string) {
	switch kind {
	case Confirmation:
		switch data.(type) {
		case ConfirmationData, *ConfirmationData:
			return data != (*ConfirmationData)(nil), "ConfirmationData"
		}
		return false, "ConfirmationData"
	case Referral:
		switch data.(type) {
		case ReferralData, *ReferralData:
			return data != (*ReferralData)(nil), "ReferralData"
		}
		return false, "ReferralData"
	case Offer, OfferReminder:
		switch data.(type) {
		case OfferData, *OfferData:
			return data != (*OfferData)(nil), "OfferData"
		}
		return false, "OfferData"
	case Withdrawal:
		switch data.(type) {
		case WithdrawalData, *WithdrawalData:
			return data != (*WithdrawalData)(nil), "WithdrawalData"
		}
		return false, "WithdrawalData"
	case ContractReady:
		switch data.(type) {
		case ContractReadyData, *ContractReadyData:
			return data != (*ContractReadyData)(nil), "ContractReadyData"
		}
		return false, "ContractReadyData"
	}
	return false, fmt.Sprint(kind)
}
