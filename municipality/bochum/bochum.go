package bochum

import (
	"embed"

	"github.com/kitaportal/kitaportal/municipality"
)

//go:embed profile.json districts.json offices.json fees.json kitas-layout.json
var files embed.FS

// Files returns the embedded profile files, for cities that start from
// Bochum's and change a few.
func Files() embed.FS { return files }

// Profile returns Bochum's profile.
func Profile() (municipality.Profile, error) { return municipality.Load(files) }
