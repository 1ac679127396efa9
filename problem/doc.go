// Package problem is the error contract of every kitaportal package: a
// validation error that lists every problem of an input at once, each with a
// field path, a stable code and parameters, and human text in German and
// English that comes from translations, never from the code that detected the
// problem.
//
// # Error contract
//
// A validating function returns nil or a [List]. The list satisfies
// errors.Is for [ErrInvalid] and for the sentinel of every rule it names
// (each [Problem] unwraps to its Rule), and errors.As for [List] itself:
//
//	var list problem.List
//	if errors.As(err, &list) {
//		for _, p := range list {
//			fmt.Println(p.Field, p.Code, tr.Message(p, "de"))
//		}
//	}
//
// Error strings name fields and codes only. Parameters carry limits taken
// from the rules (a maximum, an allowed set), never the input values, so an
// error may be logged without leaking a child's name or birth date.
//
// Every other error a caller can receive is a [Sentinel]: a rule-named
// error value with a [Kind] (invalid, not found, conflict, exists, wrong
// state, unavailable) and a stable [Code]. [KindOf] classifies any error
// (a List is Invalid; unknown errors are Unknown), so an HTTP layer maps
// every error with one switch; [Translator.Error] words any error in German
// or English, an unknown one as [CodeInternal] without its text.
//
// Struct-tag checks run through github.com/go-playground/validator/v10
// ([Struct]); the code is the failed tag ("required", "email", "max").
// [Valid] asks the validator about one value and one tag, for a package
// that checks its fields in Go and leaves the rare value to it. Their
// German and English texts are whole sentences in [Messages] that name the
// field by its label ("Bitte füllen Sie das Feld „Vorname des Kindes“
// aus."), never the validator's own error text. A package gives its fields'
// labels as catalog entries "label.<path>" (list indices dropped:
// "label.guardians.phone"); [Messages] has labels of common fields (e-mail
// address, phone number, street ...). Domain rules name their codes in the
// package that owns the rule and ship their texts as a [Catalog].
package problem
