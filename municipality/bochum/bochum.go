package bochum

import (
	"embed"

	"github.com/kitaportal/kitaportal/municipality"
)

//go:embed profile.json districts.json offices.json fees.json
var files embed.FS

// Files returns the embedded profile files, for cities that start from
// Bochum's and change a few.
func Files() embed.FS { return files }

// Profile returns Bochum's profile, with the layout of the city's open-data
// list of Kitas ([Layout]) as its CatalogueLayout.
func Profile() (municipality.Profile, error) {
	p, err := municipality.Load(files)
	if err != nil {
		return municipality.Profile{}, err
	}
	m, err := Layout()
	if err != nil {
		return municipality.Profile{}, err
	}
	p.CatalogueLayout = &m
	return p, nil
}
