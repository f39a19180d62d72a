package assessment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The nine task areas, and the sentences the charter quotes, are the
// articles' own, word for word.
func TestTaskAreasQuoteTheArticle(t *testing.T) {
	article := readArticle(t)
	areas := TaskAreas()
	if len(areas) != NumTaskAreas {
		t.Fatalf("%d task areas, want %d", len(areas), NumTaskAreas)
	}
	want := []string{"Information Flow", "Communications", "Inventory", "Planning", "Logistics", "Office Policies", "Finances", "Customer Relations", "Staff Training"}
	for i, a := range areas {
		if a.Name != want[i] {
			t.Errorf("task area %d = %q, want %q (the article's order)", i+1, a.Name, want[i])
		}
		if line := "• " + a.Name + ": " + a.Description + "\n"; !strings.Contains(article, line) {
			t.Errorf("task area %q is not the article's line %q", a.Name, line)
		}
	}
	if !strings.Contains(article, DistinctExpectations) {
		t.Errorf("DistinctExpectations is not in the article: %q", DistinctExpectations)
	}
	areas[0].Name = "changed"
	if TaskAreas()[0].Name != "Information Flow" {
		t.Error("TaskAreas hands out its own array")
	}
	strategic := readSeed(t, "003_5b113bcb0598e172.txt")
	if !strings.Contains(strategic, DefineRoles) {
		t.Errorf("DefineRoles is not in The Role of a Strategic Partner: %q", DefineRoles)
	}
}

// readSeed finds a seed article in ../shared/seeds, when it is there.
func readSeed(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range []string{"../../../shared/seeds", "../../shared/seeds"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			return string(b)
		}
	}
	t.Skip("the seed articles (../shared/seeds) are not beside this checkout")
	return ""
}
