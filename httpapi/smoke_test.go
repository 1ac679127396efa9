package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/httpapi"
)

func TestSubmitAndRead(t *testing.T) {
	e := newEnv(t, nil, httpapi.Limits{})
	r := e.call(http.MethodPost, "/api/v1/applications", guardian("A"), e.input("Lotte", e.chosen, true), "Idempotency-Key", "k1")
	require.Equal(t, http.StatusCreated, r.status, string(r.body))
	var a httpapi.Application
	r.json(t, &a)
	assert.Equal(t, `"`+"1"+`"`, r.header.Get("ETag"))
	t.Log(string(r.body))
}
