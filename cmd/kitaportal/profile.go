package main

import (
	"os"

	"github.com/kitaportal/kitaportal/municipality"
	"github.com/kitaportal/kitaportal/municipality/bochum"
)

// loadProfile loads the profile named by -profile: "bochum" for the
// embedded reference profile, or a directory.
func loadProfile(name string) (municipality.Profile, error) {
	if name == "bochum" {
		return bochum.Profile()
	}
	return municipality.Load(os.DirFS(name))
}
