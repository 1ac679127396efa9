package registration_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kitaportal/kitaportal/registration"
)

// cloneCase builds an application with g guardians, c choices and e
// events; a negative count leaves the list nil, 0 makes it empty.
func cloneCase(g, c, e int) registration.Application {
	var a registration.Application
	a.ID = "app-1"
	if g >= 0 {
		a.Guardians = []registration.Guardian{}
	}
	for i := range g {
		a.Guardians = append(a.Guardians, registration.Guardian{GivenName: fmt.Sprint("Elternteil ", i), FamilyName: "Yılmaz", Email: fmt.Sprintf("e%d@example.org", i), Language: "de", Working: i%2 == 0})
	}
	if c >= 0 {
		a.Choices = []registration.Choice{}
	}
	for i := range c {
		a.Choices = append(a.Choices, registration.Choice{Rank: i + 1, KitaID: fmt.Sprint("kita-", i), Carrier: "Stadt Bochum"})
	}
	var history []registration.Event
	if e >= 0 {
		history = []registration.Event{}
	}
	t0 := time.Date(2027, time.January, 11, 9, 30, 0, 0, time.UTC)
	for i := range e {
		history = append(history, registration.Event{At: t0.Add(time.Duration(i) * time.Hour), Actor: "family:f1", To: registration.Submitted})
	}
	return registration.Rehydrate(a, registration.Lifecycle{Status: registration.Submitted, History: history, Version: 3})
}

func TestCloneIsADeepCopyWhateverTheListsSizes(t *testing.T) {
	tests := []struct {
		name    string
		g, c, e int
	}{
		{"an application of usual size fits one allocation", 1, 3, 1},
		{"two guardians, five Kitas and two events fill the largest room", 2, 5, 2},
		{"one guardian and four Kitas take the room for five", 1, 4, 2},
		{"two guardians and three Kitas take the room for three", 2, 3, 2},
		{"one guardian, five Kitas and two events fill their room", 1, 5, 2},
		{"a third guardian is copied on its own", 3, 2, 1},
		{"a sixth Kita is copied on its own", 1, 6, 1},
		{"a third event is copied on its own", 2, 1, 3},
		{"nil lists stay nil", -1, -1, -1},
		{"empty lists stay empty, not nil", 0, 0, 0},
		{"only a history is copied", -1, -1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := cloneCase(tt.g, tt.c, tt.e)
			want := cloneCase(tt.g, tt.c, tt.e)
			b := a.Clone()
			require.Equal(t, want, b)
			assert.Equal(t, tt.g < 0, b.Guardians == nil)
			assert.Equal(t, tt.c < 0, b.Choices == nil)
			assert.Equal(t, tt.e < 0, b.History() == nil)

			// Writing into and appending to the clone's lists changes
			// neither the original nor the clone's other lists.
			for i := range b.Guardians {
				b.Guardians[i].Email = "changed@example.org"
			}
			for i := range b.Choices {
				b.Choices[i].KitaID = "changed"
			}
			b.Guardians = append(b.Guardians, registration.Guardian{GivenName: "Neu"})
			b.Choices = append(b.Choices, registration.Choice{Rank: 99, KitaID: "neu"})
			_, err := b.End(registration.Withdrawn, time.Date(2027, time.February, 1, 8, 0, 0, 0, time.UTC), "family:f1", "moved")
			require.NoError(t, err)
			assert.Equal(t, want, a)
			c := b.Clone()
			assert.Equal(t, b, c)
			assert.Equal(t, "Neu", c.Guardians[len(c.Guardians)-1].GivenName)
			assert.Equal(t, "neu", c.Choices[len(c.Choices)-1].KitaID)
			assert.Len(t, c.History(), max(tt.e, 0)+1)
		})
	}
}
