package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/httpapi"
	"github.com/kitaportal/kitaportal/httpapi/internal/client"
)

// as returns a request editor that signs in as the actor.
func (e *env) as(a access.Actor) client.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+e.dev.Token(a))
		return nil
	}
}

// TestGeneratedClientRunsTheParentsYear runs the parent's part of the Kita
// year with the Go client oapi-codegen generated from the served
// description: search, submit, read the confirmation, accept the offer of
// the Jugendamt's round, download the contract.
func TestGeneratedClientRunsTheParentsYear(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	ctx := context.Background()
	c, err := client.NewClientWithResponses(e.srv.URL, client.WithHTTPClient(e.srv.Client()))
	require.NoError(t, err)
	parent := e.as(access.NewGuardian("eva", "family-1"))

	district, limit := "I", int64(20)
	found, err := c.SearchKitasWithResponse(ctx, &client.SearchKitasParams{District: &district, Limit: &limit})
	require.NoError(t, err)
	require.NotNil(t, found.JSON200, string(found.Body))
	assert.NotZero(t, found.JSON200.Total)

	kitas := e.chosen
	guardians := []client.RegistrationGuardianInput{{GivenName: "Eva", FamilyName: "Beispiel", Email: "eva@beispiel.example", Language: "de", Working: true}}
	sub, err := c.SubmitApplicationWithResponse(ctx, &client.SubmitApplicationParams{IdempotencyKey: "first"}, client.RegistrationInput{
		Child:     client.RegistrationChildInput{GivenName: "Lotte", FamilyName: "Beispiel", BirthDate: openapi_types.Date{Time: e.birth.UTC()}},
		Guardians: &guardians,
		Address:   client.GeoAddress{Street: "Kortumstraße", HouseNumber: "5", PostalCode: "44787", City: "Bochum"},
		Start:     openapi_types.Date{Time: e.start.UTC()}, Hours: 35, Kitas: &kitas, Consent: true,
	}, parent)
	require.NoError(t, err)
	require.NotNil(t, sub.JSON201, string(sub.Body))
	id := sub.JSON201.Id
	assert.Equal(t, "confirmed", sub.JSON201.Status)

	msgs, err := c.FamilyMessagesWithResponse(ctx, "family-1", parent)
	require.NoError(t, err)
	require.NotNil(t, msgs.JSON200, string(msgs.Body))
	require.NotEmpty(t, *msgs.JSON200)
	assert.Contains(t, (*msgs.JSON200)[0].Body, sub.JSON201.Reference)

	e.clock.Set(time.Date(2027, time.March, 1, 9, 0, 0, 0, berlin))
	round, err := c.RunRoundWithResponse(ctx, client.RunRoundRequest{Year: "2027/2028"}, e.as(access.NewJugendamt("amt")))
	require.NoError(t, err)
	require.NotNil(t, round.JSON200, string(round.Body))
	assert.Equal(t, int64(1), round.JSON200.Offers)

	got, err := c.GetApplicationWithResponse(ctx, id, parent)
	require.NoError(t, err)
	require.NotNil(t, got.JSON200, string(got.Body))
	require.Equal(t, "offered", got.JSON200.Status)
	tag := got.HTTPResponse.Header.Get("ETag")
	acc, err := c.AcceptOfferWithResponse(ctx, id, &client.AcceptOfferParams{IfMatch: &tag}, parent)
	require.NoError(t, err)
	require.NotNil(t, acc.JSON200, string(acc.Body))
	assert.Equal(t, "accepted", acc.JSON200.Status)

	key := "contract-1"
	pdf, err := c.ContractPDFWithResponse(ctx, id, &client.ContractPDFParams{IdempotencyKey: &key}, client.ContractInputBody{Income: "48000", MealPlan: true}, parent)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, pdf.StatusCode(), string(pdf.Body))
	assert.Contains(t, pdfText(t, pdf.Body), "Lotte")

	// A refusal reaches the client as a problem document.
	again, err := c.AcceptOfferWithResponse(ctx, id, &client.AcceptOfferParams{}, e.as(access.NewGuardian("mallory", "family-2")))
	require.NoError(t, err)
	require.NotNil(t, again.ApplicationproblemJSON404)
	assert.Equal(t, "access.denied", *again.ApplicationproblemJSON404.Code)
}
