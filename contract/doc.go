// Package contract makes care contracts (Betreuungsverträge): it computes
// the parent fees (Elternbeiträge) of a contract from a city's fee schedule,
// fills in the clause templates of the city or carrier, and renders the
// contract as PDF.
//
// # Role
//
// contract is a domain package. It imports from the module only problem,
// geo and kita, and no adapter. Its input is plain data: a [Draft] taken
// from an accepted Kita offer or a Tagespflege placement, and the [Rules]
// of the municipality profile (calendar, [FeeSchedule], settling-in weeks,
// clause templates). [Generate] returns an immutable [Contract];
// a [Renderer] turns it into a PDF. Nothing here reads a clock: the
// creation instant comes in the draft.
//
// # Fees
//
// A [FeeSchedule] is data (JSON, see municipality/bochum/fees.json) with
// dated amendments ([FeePeriod]). [FeeSchedule.Calculate] judges every
// month of a contract on its first day and groups equal months into
// [Band]s, each with its reasons, so that nobody has to recompute by hand:
//
//   - fee-free years (Beitragsfreiheit, § 50 KiBiz): the last
//     FeeFreeYearsBeforeSchool Kita years before school entry under the
//     profile's calendar; in NRW with 2 years, from 1 August of the year
//     the child turns 4 if that birthday is on or before 30 September,
//     otherwise from the next 1 August ([FeeSchedule.FeeFreeFrom]);
//   - income exemption: an annual income below the period's threshold pays nothing;
//   - table fee: income bracket (lower bound inclusive, upper exclusive,
//     last open-ended) × weekly hours × age split. The lower fee from the
//     split age applies from the first month whose first day the child has
//     reached that age, that is from the first of the month after the
//     birthday (from the birthday itself when it is a first);
//   - sibling rule (Geschwisterermäßigung): none, only the most expensive
//     child pays, or a percentage off for every further child;
//   - the period's percentage cut (Bochum: 25 % from 1 August 2025);
//   - rounding: once, to cents, half away from zero (kaufmännisch), on the
//     monthly amount after all percentages. A month begun counts in full.
//
// # PDF
//
// A [Renderer] lays the contract out with codeberg.org/go-pdf/fpdf through
// its public API only. The fonts are prepared once, when the module is
// built, as fpdf font definitions of small subset fonts in single-byte
// encodings (see fonts/README.md): Go Regular and Go Bold, whose encoding 0
// holds German contract text and the name letters most often met in
// Germany and whose further encodings hold the rest of the Go fonts (more
// Latin, Greek, Cyrillic, symbols); DejaVu Sans for what the Go fonts lack
// in scripts written left to right (Vietnamese, Armenian, Georgian,
// combining marks, ...). A document embeds, compressed as shipped, only
// the encodings its text uses, so no font is parsed, subset or compressed
// per contract; text mixing encodings is broken into lines by the package
// itself, the way fpdf's MultiCell does. Text stays extractable (each glyph
// is named uniXXXX). A character no font has (a CJK character, an emoji,
// right-to-left scripts) is drawn as U+FFFD, the replacement character:
// such a name never makes the contract impossible and never appears in an
// error. The same contract always gives the same bytes.
//
// # Error contract
//
// Validating functions ([LoadFeeSchedule], [FeeSchedule.Validate],
// [FeeSchedule.Calculate], [ParseClauses], [Generate]) return nil or a
// [problem.List] with every problem at once: a field path in JSON names, a
// stable code (contract.start_after_end, ...) and the rule's sentinel
// ([ErrDates], [ErrGuardians], [ErrNotCovered], ...), so callers use
// errors.Is for the rule and errors.As for the list. Texts in German and
// English are in [Messages]. [LoadFeeSchedule] reads its days strictly:
// a day that does not exist (2025-13-01) is a problem at its field
// (periods[1].valid_from), never moved to another day. Error strings never contain names, birth
// dates, addresses or incomes. [Renderer.Render] and [Renderer.WriteFile]
// write nothing on error; a Contract not made by [Generate] gives
// [ErrNotGenerated]. Every text of a generated contract renders, whatever
// its characters. [NewRenderer] fails ("contract: font check") only when
// the embedded fonts do not fit together, a fault of the build.
//
// # Glossary
//
//   - Betreuungsvertrag: care contract between the provider and the guardians ([Contract]).
//   - Elternbeitrag: the income-dependent monthly parent fee set by the city ([FeeSchedule]).
//   - Einkommensstufe: an income bracket of the fee table ([Bracket]).
//   - Beitragsfreiheit: fee-free Kita years before school, § 50 KiBiz ([ReasonFeeFree]).
//   - Geschwisterermäßigung: reduction for siblings in care at the same time ([SiblingRule]).
//   - Essensgeld: the monthly meal fee ([FeePeriod.MealFee]).
//   - Träger: the organisation that runs a Kita ([Provider.CarrierName]).
//   - Kita-Leitung: the head of the Kita, who represents the Träger ([Provider.Representative]).
//   - Kindertagespflege: child-minding by a licensed person ([Tagespflege]).
//   - Tagespflegeperson: the child-minder, herself the contract party ([Provider]).
//   - Sorgeberechtigte: the guardians, one or two ([Party]).
//   - Eingewöhnung: settling-in period at the start of care ([Rules.SettlingInWeeksUnder3]).
//   - Schließtage: closure days of the Kita ([Rules.ClosureDays]).
//   - Masernschutz: proof of measles vaccination, § 20 IfSG (a default clause).
package contract
