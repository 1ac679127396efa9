package postgres

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzDecodeApplication feeds stored application documents, as a damaged
// or foreign row could hold them, to the decoder: it never panics, its
// error is the one fixed text (no stored value in it), and it is never
// looser than encoding/json, which writes the documents: what it accepts,
// encoding/json reads to the same application.
func FuzzDecodeApplication(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "application.golden.json"))
	require.NoError(f, err)
	f.Add(golden)
	stored, err := json.Marshal(toApplicationDoc(storedApplication()))
	require.NoError(f, err)
	f.Add(stored)
	f.Add([]byte(`{"id":"a","history":[{"to":"submitted"}],"choices":[{"rank":1,"kita_id":"k"}]}`))
	f.Add([]byte(`{"id":"a","id":"b"}`))
	f.Add([]byte(`{"start":"2027-02-30","hours":-5,"status":"nonsense"}`))
	f.Add([]byte("{\"child\":{\"given_name\":\"\xff\"}}"))
	f.Add([]byte(`{"child":{"birth_date":"00000-00"}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"ID":"a","Start":"0"}`))
	f.Add([]byte(`{"id":"a","choices":[{"Kita_ID":"k"}],"note":"unknown"}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		a, err := decodeApplication(3, doc)
		if err != nil {
			assert.EqualError(t, err, "postgres: decode application: invalid document")
			return
		}
		var d applicationDoc
		require.NoError(t, json.Unmarshal(doc, &d), "encoding/json reads what the decoder accepts")
		assert.Equal(t, d.application().AtVersion(3), a)
	})
}

// FuzzDecodeTagespflegeDocs feeds stored referral and minder documents, as
// a damaged row could hold them, to the decoder: it never panics (the
// date library's decoder does on "00000-00"), its error is the one fixed
// text, and what it accepts encoding/json reads to the same value.
func FuzzDecodeTagespflegeDocs(f *testing.F) {
	for _, name := range []string{"referral.golden.json", "minder.golden.json"} {
		golden, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(f, err)
		f.Add(golden)
	}
	f.Add([]byte(`{"id":"r","start":"00000-00"}`))
	f.Add([]byte(`{"id":"m","licence":{"valid_from":"00000-00","valid_to":"2027-13-45"},"placements":[{"start":"+0000-00"}]}`))
	f.Add([]byte(`{"id":"r","start":"2027-02-30"}`))
	f.Add([]byte(`{"Start":"0"}`))
	f.Add([]byte(`{"id":"m","licence":{"Valid_from":"0"},"placements":[{"Start":"0"}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := decodeDoc("referral", doc, 2, referralDoc.referral)
		if err != nil {
			assert.EqualError(t, err, "postgres: decode referral: invalid document")
		} else {
			var d referralDoc
			require.NoError(t, json.Unmarshal(doc, &d), "encoding/json reads what the decoder accepts")
			assert.Equal(t, d.referral(2), r)
		}
		m, err := decodeDoc("minder", doc, 2, minderDoc.minder)
		if err != nil {
			assert.EqualError(t, err, "postgres: decode minder: invalid document")
			return
		}
		var d minderDoc
		require.NoError(t, json.Unmarshal(doc, &d), "encoding/json reads what the decoder accepts")
		assert.Equal(t, d.minder(2), m)
	})
}
