package kitaportal_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/kitaportal/kitaportal"

// deps returns, for every package of the module, its transitive imports.
func deps(t *testing.T, patterns ...string) map[string][]string {
	t.Helper()
	args := append([]string{"list", "-f", "{{.ImportPath}}:{{join .Deps \" \"}}"}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		pkg, list, _ := strings.Cut(strings.TrimSpace(line), ":")
		m[pkg] = strings.Fields(list)
	}
	return m
}

// TestImportDirection enforces the layers: domain packages import no
// adapter, no application layer and not the root; the root imports no
// PostgreSQL and no SMTP; a program that uses only memory links neither
// pgx nor goose.
func TestImportDirection(t *testing.T) {
	all := deps(t, "./...")
	domain := []string{"access", "allocation", "contract", "district", "geo", "kita", "municipality", "notify", "problem", "registration", "tagespflege"}
	isDomain := func(pkg string) bool {
		for _, d := range domain {
			if pkg == module+"/"+d || strings.HasPrefix(pkg, module+"/"+d+"/") && pkg != module+"/notify/smtp" {
				return true
			}
		}
		return false
	}
	forbidden := func(pkg, dep string) string {
		switch {
		case isDomain(pkg) && (strings.HasPrefix(dep, module+"/store/") || dep == module+"/app" || dep == module || dep == module+"/notify/smtp"):
			return "a domain package imports an adapter, the application layer or the root"
		case (pkg == module || pkg == module+"/app") && (dep == module+"/store/postgres" || dep == module+"/notify/smtp" ||
			strings.HasPrefix(dep, "github.com/jackc/pgx") || strings.HasPrefix(dep, "github.com/pressly/goose")):
			return "the facade or the application layer links an adapter"
		case pkg == module+"/app" && strings.HasPrefix(dep, module+"/store/"):
			return "the application layer imports a store"
		}
		return ""
	}
	checked := 0
	for pkg, ds := range all {
		for _, dep := range ds {
			if why := forbidden(pkg, dep); why != "" {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("go list saw %d packages", checked)
	}
	t.Run("a memory-only program links no pgx and no goose", func(t *testing.T) {
		for pkg, ds := range deps(t, "./examples/customcity", ".") {
			for _, dep := range ds {
				if strings.HasPrefix(dep, "github.com/jackc/pgx") || strings.HasPrefix(dep, "github.com/pressly/goose") {
					t.Errorf("%s links %s", pkg, dep)
				}
			}
		}
	})
}
