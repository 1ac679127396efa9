package notify

import (
	"errors"

	"github.com/kitaportal/kitaportal/problem"
)

// More sentinel errors of the notify package, beside those in message.go.
var (
	// ErrExists: a message with that id is in the outbox already.
	ErrExists = errors.New("notify: message already exists")
	// ErrClaim: a claim without a token or with a non-positive lease.
	ErrClaim = errors.New("notify: invalid claim")
	// ErrMessage is the rule of problems found in a [Message] before it is
	// enqueued (see [Message.Validate]).
	ErrMessage = errors.New("notify: invalid message")
	// ErrTemplate is the rule of problems found in a template: it does not
	// parse, is too large, uses a forbidden construct, or fails to render.
	ErrTemplate = errors.New("notify: invalid template")
)

// Problem codes of the notify package. They are stable; clients may switch
// on them.
const (
	CodeIDRequired        problem.Code = "notify.id_required"
	CodeKindInvalid       problem.Code = "notify.kind_invalid"
	CodeStatusInvalid     problem.Code = "notify.status_invalid"
	CodeRecipientRequired problem.Code = "notify.recipient_required"
	CodeRecipientInvalid  problem.Code = "notify.recipient_invalid"
	CodeLangInvalid       problem.Code = "notify.lang_invalid"
	CodeTitleRequired     problem.Code = "notify.title_required"
	CodeBodyRequired      problem.Code = "notify.body_required"
	CodeCreatedRequired   problem.Code = "notify.created_required"
	CodeNotNew            problem.Code = "notify.not_new"

	CodeTemplateTooLarge   problem.Code = "notify.template_too_large"
	CodeTemplateSyntax     problem.Code = "notify.template_syntax"
	CodeTemplateForbidden  problem.Code = "notify.template_forbidden"
	CodeTemplateIncomplete problem.Code = "notify.template_incomplete"
	CodeTemplateMissing    problem.Code = "notify.template_missing"
	CodeTemplateFile       problem.Code = "notify.template_file"
	CodeTemplateExec       problem.Code = "notify.template_exec"
	CodeOutputTooLarge     problem.Code = "notify.output_too_large"
	CodeDataMismatch       problem.Code = "notify.data_mismatch"
	// The render budget (see [MaxRenderSteps] and the limits beside it).
	CodeTemplateBudget    problem.Code = "notify.template_budget"
	CodeTemplateWork      problem.Code = "notify.template_work"
	CodeTemplateFormat    problem.Code = "notify.template_format"
	CodeTemplateTimeout   problem.Code = "notify.template_timeout"
	CodeTemplateCancelled problem.Code = "notify.template_cancelled"
)

// Messages are the German and English texts of the notify problem codes,
// for a [problem.Translator].
var Messages = problem.Catalog{
	"de": {
		CodeIDRequired:         "Die Nachricht braucht eine ID.",
		CodeKindInvalid:        "Die Art der Nachricht ist unbekannt.",
		CodeStatusInvalid:      "Der Status der Nachricht ist unbekannt.",
		CodeRecipientRequired:  "Die Nachricht braucht eine Empfängeradresse.",
		CodeRecipientInvalid:   "Die Empfängeradresse ist keine gültige E-Mail-Adresse.",
		CodeLangInvalid:        "Die Sprache muss ein Sprachkürzel wie „de“ oder „en“ sein.",
		CodeTitleRequired:      "Die Nachricht braucht einen Betreff.",
		CodeBodyRequired:       "Die Nachricht braucht einen Text.",
		CodeCreatedRequired:    "Die Nachricht braucht einen Erstellungszeitpunkt.",
		CodeNotNew:             "Eine neue Nachricht muss offen und unversucht sein.",
		CodeTemplateTooLarge:   "Die Vorlage ist größer als {max} Bytes.",
		CodeTemplateSyntax:     "Die Vorlage enthält einen Syntaxfehler (Zeile {line}).",
		CodeTemplateForbidden:  "Die Vorlage verwendet „{construct}“; das ist in Nachrichtenvorlagen nicht erlaubt.",
		CodeTemplateIncomplete: "Zur Vorlage fehlt der Betreff oder der Text.",
		CodeTemplateMissing:    "Für diese Nachrichtenart gibt es keine Vorlage, auch nicht auf Deutsch.",
		CodeTemplateFile:       "Die Datei passt nicht zum Schema <sprache>/<art>.subject.tmpl oder <sprache>/<art>.body.tmpl.",
		CodeTemplateExec:       "Die Vorlage ließ sich mit diesen Daten nicht ausfüllen.",
		CodeOutputTooLarge:     "Die ausgefüllte Vorlage ist größer als {max} Bytes.",
		CodeDataMismatch:       "Die Daten passen nicht zur Nachrichtenart (erwartet: {want}).",
		CodeTemplateBudget:     "Die Vorlage braucht zum Ausfüllen mehr als {max} Schritte.",
		CodeTemplateWork:       "Die Vorlage erzeugt beim Ausfüllen mehr als {max} Bytes Zwischentext.",
		CodeTemplateFormat:     "Die Vorlage verlangt bei printf eine Breite oder Genauigkeit über {max}.",
		CodeTemplateTimeout:    "Das Ausfüllen der Vorlage dauerte länger als erlaubt ({max}).",
		CodeTemplateCancelled:  "Das Ausfüllen der Vorlage wurde abgebrochen.",
	},
	"en": {
		CodeIDRequired:         "The message needs an id.",
		CodeKindInvalid:        "The kind of message is unknown.",
		CodeStatusInvalid:      "The message status is unknown.",
		CodeRecipientRequired:  "The message needs a recipient address.",
		CodeRecipientInvalid:   "The recipient address is not a valid e-mail address.",
		CodeLangInvalid:        "The language must be a language tag such as \"de\" or \"en\".",
		CodeTitleRequired:      "The message needs a subject.",
		CodeBodyRequired:       "The message needs a body.",
		CodeCreatedRequired:    "The message needs a creation time.",
		CodeNotNew:             "A new message must be pending and untried.",
		CodeTemplateTooLarge:   "The template is larger than {max} bytes.",
		CodeTemplateSyntax:     "The template has a syntax error (line {line}).",
		CodeTemplateForbidden:  "The template uses \"{construct}\", which message templates may not use.",
		CodeTemplateIncomplete: "The template lacks its subject or its body.",
		CodeTemplateMissing:    "There is no template for this kind of message, not even in German.",
		CodeTemplateFile:       "The file does not match <lang>/<kind>.subject.tmpl or <lang>/<kind>.body.tmpl.",
		CodeTemplateExec:       "The template could not be filled with this data.",
		CodeOutputTooLarge:     "The filled-in template is larger than {max} bytes.",
		CodeDataMismatch:       "The data does not fit the kind of message (want {want}).",
		CodeTemplateBudget:     "Filling in the template takes more than {max} steps.",
		CodeTemplateWork:       "Filling in the template produces more than {max} bytes of intermediate text.",
		CodeTemplateFormat:     "The template asks printf for a width or precision over {max}.",
		CodeTemplateTimeout:    "Filling in the template took longer than allowed ({max}).",
		CodeTemplateCancelled:  "Filling in the template was cancelled.",
	},
}
