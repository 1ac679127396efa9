package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/rickb777/date"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/access"
	"github.com/kitaportal/kitaportal/kita"
	"github.com/kitaportal/kitaportal/web/webtest"
)

// TestSecondHoursChoice: the registration form asks for care hours the
// family accepts if its first wish cannot be met; the same hours twice
// are shown at the second choice, and a good form stores both in order.
func TestSecondHoursChoice(t *testing.T) {
	srv := webtest.New(t)
	v := newVisitor(t, srv)
	kitas := kitasFor(t, srv.App, date.New(2025, 3, 14), date.New(2027, 8, 1), 2)
	v.login(map[string][]string{"role": {"guardian"}})
	_, page := v.get("/register")
	assert.Contains(t, page, `id="hours_alternatives-0"`)
	assert.Contains(t, page, "Falls nicht möglich: anderer Betreuungsumfang")
	csrf, key := hidden(page, "csrf"), hidden(page, "key")

	f := registrationForm(csrf, key, kitas)
	f.Set("hours2", "35")
	resp, page := v.post("/register", f)
	require.Equal(t, http.StatusUnprocessableEntity, resp.StatusCode)
	assert.Contains(t, page, `href="#hours_alternatives-0"`)
	assert.Regexp(t, `aria-describedby="[^"]*hours_alternatives-0-error"`, page)
	assert.Contains(t, page, "Diesen Betreuungsumfang haben Sie bereits angegeben.")

	f.Set("hours2", "45")
	resp, _ = v.post("/register", f)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/register/")
	a, err := srv.App.Registrations.Get(context.Background(), access.NewJugendamt("check"), id)
	require.NoError(t, err)
	assert.Equal(t, []kita.Hours{35, 45}, a.RankedHours())
}
